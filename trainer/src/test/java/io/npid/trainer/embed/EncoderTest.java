package io.npid.trainer.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.model.Backbones;
import io.npid.trainer.model.EncoderSpec;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.TrainerConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderTest {

    @Test
    void shouldEmbedExactlyAsTheLearnerThatPublishedTheCheckpoint() throws Exception {
        final TrainerConfig config = TrainerConfig.defaults()
                .with(Map.of(
                        TrainerConfig.LOW_DIM_CONFIG,
                        "32",
                        TrainerConfig.DEVICE_CONFIG,
                        "cpu",
                        TrainerConfig.THREADS_CONFIG,
                        "1"));
        final List<DecodedImage> images = SyntheticShapes.generate(20, 3).images();
        try (NpidLearner learner = NpidLearner.create(config, 1, 28)) {
            learner.appendBankRows(learner.embed(images));
            final Augmenter augmenter = new Augmenter(learner.augmentation());
            final int per = learner.augmentation().floatsPerImage();
            final float[] pixels = new float[10 * per];
            final int[] rows = new int[10];
            for (int i = 0; i < 10; i++) {
                rows[i] = i;
                augmenter.augment(images.get(i), new SplitMix64(i), pixels, i * per);
            }
            learner.step(new AugmentedBatch(rows, pixels, 1, 28, 0, 0, 0, null));
            final float[] expected = learner.embed(images);
            try (Encoder encoder =
                    Encoder.load(learner.config().backbone(), learner.encoderConfig(), learner.encoderParameters())) {
                assertEquals(32, encoder.dimension());
                assertArrayEquals(expected, encoder.embed(images), 1e-5f);
                // one image alone (sent through as a batch of two) embeds as it does among others
                assertArrayEquals(
                        java.util.Arrays.copyOfRange(expected, 3 * 32, 4 * 32),
                        encoder.embed(List.of(images.get(3))),
                        1e-5f);
                // an embedder thread starts with PyTorch's grad mode on; embedding must neither record nor change it
                final float[][] fromThread = new float[1][];
                final boolean[] gradModeAfter = new boolean[1];
                final Thread thread = new Thread(() -> {
                    fromThread[0] = encoder.embed(images);
                    gradModeAfter[0] = ai.djl.pytorch.jni.JniUtils.isGradMode();
                });
                thread.start();
                thread.join();
                assertArrayEquals(expected, fromThread[0], 1e-5f);
                assertTrue(gradModeAfter[0], "the thread's own grad mode is restored");
            }
        }
    }

    @Test
    void shouldRefuseParametersOfAnotherArchitecture() throws IOException {
        final TrainerConfig config = TrainerConfig.defaults().with(Map.of(TrainerConfig.DEVICE_CONFIG, "cpu"));
        try (NpidLearner learner = NpidLearner.create(config, 1, 28)) {
            final String backbone = learner.config().backbone();
            final Map<String, String> wrongDim = new HashMap<>(learner.encoderConfig());
            wrongDim.put(EncoderSpec.LOW_DIM_KEY, "64");
            assertThrows(IOException.class, () -> Encoder.load(backbone, wrongDim, learner.encoderParameters()));
            assertThrows(IOException.class, () -> Encoder.load(backbone, learner.encoderConfig(), new byte[] {1, 2}));
            // the other SmallConvNet head has other parameter shapes: refused, not silently mis-loaded
            final Map<String, String> otherHead = new HashMap<>(learner.encoderConfig());
            otherHead.put(EncoderSpec.BACKBONE_KEY, Backbones.SMALL);
            assertThrows(
                    IOException.class, () -> Encoder.load(Backbones.SMALL, otherHead, learner.encoderParameters()));
            final Map<String, String> missing = new HashMap<>(learner.encoderConfig());
            missing.remove(EncoderSpec.IMAGE_SIZE_KEY);
            final IOException e =
                    assertThrows(IOException.class, () -> Encoder.load(backbone, missing, learner.encoderParameters()));
            assertTrue(e.getMessage().contains(EncoderSpec.IMAGE_SIZE_KEY), e.getMessage());
        }
    }
}
