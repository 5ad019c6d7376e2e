package io.npid.bench.jmh;

import io.npid.bench.data.RandomVectors;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.serde.EventSerde;
import io.npid.schemas.serde.VectorCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-object Avro serde on the busiest record, a {@link FeatureEvent} with an embedding: encode, decode, and
 * decode all the way to a {@code float[]} as the indexer does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventSerdeBenchmark {

    /** Values in the embedding. */
    @Param("128")
    public int dimension;

    private EventSerde<FeatureEvent> serde;
    private FeatureEvent event;
    private byte[] payload;

    /** Builds one event and its encoded form. */
    @Setup
    public void setUp() {
        serde = EventSerde.of(FeatureEvent.class);
        event = FeatureEvent.newBuilder()
                .setId("fashion-mnist-train-012345")
                .setVector(VectorCodec.encode(RandomVectors.unitRows(1, dimension, 2)))
                .setLabel(7)
                .setModelVersion(42)
                .setStep(123_456)
                .setTimestampMs(1_700_000_000_000L)
                .build();
        payload = serde.encode(event);
    }

    /**
     * Encodes the event.
     *
     * @return the payload
     */
    @Benchmark
    public byte[] encode() {
        return serde.encode(event);
    }

    /**
     * Decodes the payload.
     *
     * @return the event
     */
    @Benchmark
    public FeatureEvent decode() {
        return serde.decode(payload);
    }

    /**
     * Decodes the payload and its vector.
     *
     * @return the embedding
     */
    @Benchmark
    public float[] decodeToFloats() {
        return VectorCodec.decode(serde.decode(payload).getVector());
    }
}
