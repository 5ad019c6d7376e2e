package io.npid.schemas;

import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.event.ResultStatus;
import io.npid.schemas.serde.VectorCodec;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded sample events of every type, shared by the tests. */
public final class TestEvents {

    private TestEvents() {}

    /**
     * A raw 28x28 grey image event with seeded pixels.
     *
     * @param id image id
     * @param seed pixel seed
     * @return the event
     */
    public static ImageEvent image(final String id, final long seed) {
        final byte[] pixels = new byte[28 * 28];
        new Random(seed).nextBytes(pixels);
        return ImageEvent.newBuilder()
                .setId(id)
                .setImage(Image.newBuilder()
                        .setEncoding(ImageEncoding.RAW)
                        .setData(ByteBuffer.wrap(pixels))
                        .setWidth(28)
                        .setHeight(28)
                        .setChannels(1)
                        .build())
                .setLabel(7)
                .setSource("fashion-mnist/train/" + id)
                .setTimestampMs(1_700_000_000_000L + seed)
                .build();
    }

    /**
     * A unit-norm seeded vector.
     *
     * @param dim dimension
     * @param seed seed
     * @return the vector
     */
    public static float[] unitVector(final int dim, final long seed) {
        return unitVector(new Random(seed), dim);
    }

    /**
     * A unit-norm vector of Gaussian components (uniform on the sphere), drawn from {@code random}.
     *
     * @param random the source, advanced by {@code dim} Gaussians
     * @param dim dimension
     * @return the vector
     */
    public static float[] unitVector(final Random random, final int dim) {
        final float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /**
     * A 128-d feature event.
     *
     * @param id image id
     * @param seed vector seed
     * @return the event
     */
    public static FeatureEvent feature(final String id, final long seed) {
        return FeatureEvent.newBuilder()
                .setId(id)
                .setVector(VectorCodec.encode(unitVector(128, seed)))
                .setLabel(3)
                .setModelVersion(12)
                .setStep(3456)
                .setTimestampMs(1_700_000_000_123L)
                .build();
    }

    /**
     * One event of each of the eight top-level types.
     *
     * @return the events
     */
    public static List<Object> oneOfEach() {
        final LabelEvent label = LabelEvent.newBuilder()
                .setId("img-1")
                .setLabel(4)
                .setTimestampMs(5)
                .build();
        final ModelCheckpoint checkpoint = ModelCheckpoint.newBuilder()
                .setModelName("npid")
                .setVersion(3)
                .setBackbone("small")
                .setStep(900)
                .setConfig(Map.of("npid.low.dim", "128", "channels", "1"))
                .setParameters(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}))
                .setTimestampMs(77)
                .build();
        final QueryEvent query = QueryEvent.newBuilder()
                .setQueryId("q-1")
                .setImage(image("q-img", 9).getImage())
                .setK(50)
                .setReplyKey("client-a")
                .setTimestampMs(99)
                .build();
        final QueryVector queryVector = QueryVector.newBuilder()
                .setQueryId("q-1")
                .setVector(VectorCodec.encode(unitVector(128, 4)))
                .setModelVersion(3)
                .setK(200)
                .setQueryTimestampMs(100)
                .setEmbeddedTimestampMs(104)
                .build();
        final ClassificationResult result = ClassificationResult.newBuilder()
                .setQueryId("q-1")
                .setStatus(ResultStatus.OK)
                .setLabel(2)
                .setClassName("2")
                .setScores(List.of(new ClassScore(2, 14.5, "2"), new ClassScore(-1, 3.25, "bag")))
                .setNeighbours(List.of(new Neighbour("img-8", 0.93f, 2, "2"), new Neighbour("img-3", 0.71f, -1, "bag")))
                .setModelVersion(3)
                .setPartitionsAnswered(4)
                .setPartitionsTotal(4)
                .setQueryTimestampMs(100)
                .setEmbeddedTimestampMs(104)
                .setAnsweredTimestampMs(111)
                .build();
        final DeadLetter deadLetter = new DeadLetters("indexer", 8, () -> 1234L)
                .of(
                        "npid.features",
                        2,
                        17L,
                        DeadLetters.keyBytes("img-9"),
                        new byte[] {9, 9, 9},
                        "nan-vector",
                        "The vector has NaN at index 3");
        return List.of(
                image("img-1", 1), label, feature("img-1", 2), checkpoint, query, queryVector, result, deadLetter);
    }
}
