package io.npid.bench.jmh;

import io.npid.bench.data.RandomVectors;
import io.npid.store.FeatureStore;
import io.npid.store.IngestBatch;
import io.npid.store.StoreOptions;
import io.npid.store.StoredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory bank in the RocksDB feature store: a training step reads and writes one batch of random rows. The
 * score is batches per second; multiply by {@code batch} for rows per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeatureBankBenchmark {

    private static final int SIDE = 28;
    private static final int INGEST_BATCH = 1000;

    /** Rows in the store. */
    @Param("20000")
    public int rows;

    /** Values per bank row. */
    @Param("128")
    public int dimension;

    /** Rows read or written per call (a training batch). */
    @Param("256")
    public int batch;

    private Path dir;
    private FeatureStore store;
    private float[] vectors;
    private int[] order;
    private int next;

    /**
     * Opens a store in a temporary directory and ingests {@code rows} images with their bank rows.
     *
     * @throws IOException if the directory cannot be created
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("npid-jmh-bank");
        store = FeatureStore.open(dir, StoreOptions.defaults(dimension));
        vectors = RandomVectors.unitRows(batch, dimension, 7);
        final byte[] pixels = new byte[SIDE * SIDE];
        final TopicPartition partition = new TopicPartition("jmh-images", 0);
        for (int first = 0; first < rows; first += INGEST_BATCH) {
            final int end = Math.min(rows, first + INGEST_BATCH);
            final IngestBatch ingest = store.newIngest();
            for (int i = first; i < end; i++) {
                ingest.put(
                        new StoredImage("img-" + i, pixels, SIDE, SIDE, 1, 0L),
                        RandomVectors.row(vectors, i % batch, dimension));
            }
            ingest.offset(partition, end).commit();
        }
        // A shuffled walk over all rows: each batch holds distinct rows (as a training batch does), no two alike.
        order = new int[rows - rows % batch];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(11);
        for (int i = order.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /**
     * Closes the store and deletes its directory.
     *
     * @throws IOException if the directory cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Reads one batch of random bank rows.
     *
     * @return the rows
     */
    @Benchmark
    public List<float[]> readBank() {
        return store.readBank(nextBatch());
    }

    /** Writes one batch of random bank rows (the momentum update's write-back). */
    @Benchmark
    public void writeBank() {
        store.writeBank(nextBatch(), vectors, null);
    }

    private int[] nextBatch() {
        if (next + batch > order.length) {
            next = 0;
        }
        next += batch;
        return Arrays.copyOfRange(order, next - batch, next);
    }
}
