package io.npid.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import io.npid.trainer.data.AugmentationSpec;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderForwardTest {
    private static final int SIDE = 8;
    private static final int DIM = 4;

    /** Embeds with a stand-in encoder (the first DIM pixels) that records the rows of every forward pass. */
    private static List<Long> passes(final int images, final int maxBatch) {
        final List<Long> rows = new ArrayList<>();
        final List<DecodedImage> input = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            input.add(new DecodedImage(SIDE, SIDE, 1, new byte[SIDE * SIDE]));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            final LambdaBlock encoder = new LambdaBlock(list -> {
                final NDArray x = list.singletonOrThrow();
                rows.add(x.getShape().get(0));
                return new NDList(x.reshape(x.getShape().get(0), -1).get(new NDIndex(":, 0:" + DIM)));
            });
            final float[] out = EncoderForward.embed(
                    encoder,
                    new ParameterStore(manager, false),
                    manager,
                    new Augmenter(AugmentationSpec.defaults(SIDE, 1)),
                    input,
                    DIM,
                    maxBatch);
            assertEquals(images * DIM, out.length);
        }
        return rows;
    }

    @Test
    void shouldEmbedAnEmbedBatchAbove256InOneForwardPass() {
        final Map<String, Object> given = Map.of(
                "bootstrap.servers",
                "localhost:9092",
                StreamingTrainerConfig.DATA_DIR_CONFIG,
                "/tmp/npid-trainer",
                StreamingTrainerConfig.EMBED_BATCH_SIZE_CONFIG,
                "300");
        final int batch = new StreamingTrainerConfig(given).embedBatchSize();
        assertEquals(300, batch, "no cap at 256");

        assertEquals(List.of(300L), passes(300, batch));
        assertEquals(List.of(256L, 44L), passes(300, 256));
    }

    @Test
    void shouldSendALoneImageAsABatchOfTwo() {
        assertArrayEquals(new Long[] {2L}, passes(1, 300).toArray(new Long[0]));
    }
}
