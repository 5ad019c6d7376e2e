package io.npid.bench.store;

import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.store.DiskUsage;
import io.npid.store.FeatureStore;
import io.npid.store.IngestBatch;
import io.npid.store.StoreLayout;
import io.npid.store.StoreOptions;
import io.npid.store.StoredImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/**
 * The feature-store benchmark ({@code npid bench store}): ingest, image reads, bank writes, a full bank load and the
 * bank's size on disk, printed and written as JSON.
 *
 * <p>Steps on one store of {@code rows} rows (default 1,000,000): ingest 28x28 images with 128-d initial vectors in
 * batches of 256 (with offsets, as the trainer does); readImages of 128 random rows; writeBank of 128 random rows;
 * compact and measure the bank column family; reopen and load the whole bank three times into a preallocated matrix.
 * Besides wall-clock rates it reports process CPU time per image/row (all threads, RocksDB's included), which is
 * steadier than wall time on a shared machine. Nothing is asserted: the figures are for comparing runs.
 * Usage: {@code StoreBenchmark [--rows N] [--dir DIR] [--json FILE] [--seed S] [--keep]}.
 */
public final class StoreBenchmark {
    /** Images per ingest batch. */
    public static final int INGEST_BATCH = 256;
    /** Rows per readImages and writeBank call. */
    public static final int ROW_BATCH = 128;

    /**
     * What to run.
     *
     * @param dir empty or missing directory for the store; deleted afterwards unless {@code keep}
     * @param rows images to ingest, which is also the bank size
     * @param dimension bank dimension
     * @param readBatches readImages calls to time
     * @param writeBatches writeBank calls to time
     * @param seed seed of the images, vectors and random rows
     * @param keep keep the store directory after the run
     */
    public record Settings(
            Path dir, int rows, int dimension, int readBatches, int writeBatches, long seed, boolean keep) {
        /**
         * @param dir store directory
         * @return the standard run: 1,000,000 rows of 128 floats, 2,000 read and 2,000 write batches
         */
        public static Settings standard(final Path dir) {
            return new Settings(dir, 1_000_000, 128, 2_000, 2_000, 42L, false);
        }
    }

    private StoreBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param settings what to run
     * @param log where progress lines go (e.g. System.err)
     * @return the figures
     * @throws IOException if the directory cannot be cleaned up
     */
    public static StoreFigures run(final Settings settings, final PrintStream log) throws IOException {
        final StoreOptions options = StoreOptions.defaults(settings.dimension());
        final SyntheticImages data = new SyntheticImages(8192, settings.dimension(), settings.seed());
        final SplittableRandom rnd = new SplittableRandom(settings.seed());
        final Map<String, Object> context = new LinkedHashMap<>();
        final double ingestPerS;
        final double readPerS;
        final double writePerS;
        final DiskUsage usage;
        try (FeatureStore store = FeatureStore.open(settings.dir(), options)) {
            final long ingestCpu = processCpuNanos();
            ingestPerS = ingest(store, data, settings.rows());
            context.put("ingest_cpu_us_per_image", (processCpuNanos() - ingestCpu) / 1e3 / settings.rows());
            log.printf("ingest: %,d images at %,.0f images/s%n", settings.rows(), ingestPerS);
            final long readCpu = processCpuNanos();
            readPerS = readImages(store, rnd, settings.readBatches());
            context.put(
                    "read_cpu_us_per_row", (processCpuNanos() - readCpu) / 1e3 / settings.readBatches() / ROW_BATCH);
            log.printf("readImages: %,.0f rows/s%n", readPerS);
            final long writeCpu = processCpuNanos();
            writePerS = writeBank(store, data, rnd, settings.writeBatches());
            context.put(
                    "write_cpu_us_per_row", (processCpuNanos() - writeCpu) / 1e3 / settings.writeBatches() / ROW_BATCH);
            log.printf("writeBank: %,.0f rows/s%n", writePerS);
            final long compactStart = System.nanoTime();
            store.compact();
            context.put("compact_s", seconds(compactStart));
            usage = store.diskUsage();
        }
        final long openStart = System.nanoTime();
        final double[] loads = new double[3];
        try (FeatureStore store = FeatureStore.open(settings.dir(), options)) {
            context.put("reopen_s", seconds(openStart));
            final float[] bank = new float[settings.rows() * settings.dimension()];
            for (int i = 0; i < loads.length; i++) {
                final long start = System.nanoTime();
                final long cpu = processCpuNanos();
                store.loadBank(bank);
                loads[i] = seconds(start);
                context.put("load_bank_cpu_s", (processCpuNanos() - cpu) / 1e9);
            }
        } finally {
            if (!settings.keep()) {
                deleteTree(settings.dir());
            }
        }
        log.printf("loadBank: %s s%n", Arrays.toString(loads));
        final double scale = 1_000_000.0 / settings.rows();
        final double[] sorted = loads.clone();
        Arrays.sort(sorted);
        context.put("load_bank_first_s", loads[0] * scale);
        context.put("rows", settings.rows());
        context.put("dimension", settings.dimension());
        context.put("image_side", SyntheticImages.SIDE);
        context.put("ingest_batch", INGEST_BATCH);
        context.put("row_batch", ROW_BATCH);
        context.put("store_directory_bytes", usage.directoryBytes());
        usage.tableBytesByFamily().forEach((family, bytes) -> context.put("table_bytes_" + family, bytes));
        context.put("available_processors", Runtime.getRuntime().availableProcessors());
        context.put("java_version", System.getProperty("java.version"));
        return new StoreFigures(
                ingestPerS,
                readPerS,
                writePerS,
                sorted[1] * scale,
                usage.tableBytes(StoreLayout.BANK_CF) * scale,
                context);
    }

    private static double ingest(final FeatureStore store, final SyntheticImages data, final int rows) {
        final TopicPartition tp = new TopicPartition("bench-images", 0);
        final long start = System.nanoTime();
        for (int first = 0; first < rows; first += INGEST_BATCH) {
            final int end = Math.min(rows, first + INGEST_BATCH);
            final IngestBatch batch = store.newIngest();
            for (int i = first; i < end; i++) {
                final StoredImage image = new StoredImage(
                        "img-" + i,
                        data.image(i),
                        SyntheticImages.SIDE,
                        SyntheticImages.SIDE,
                        1,
                        System.currentTimeMillis());
                batch.put(image, data.vector(i));
            }
            batch.offset(tp, end).commit();
        }
        return rows / seconds(start);
    }

    private static double readImages(final FeatureStore store, final SplittableRandom rnd, final int batches) {
        final int n = store.size();
        long checksum = 0;
        final long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            final int[] rows = rnd.ints(ROW_BATCH, 0, n).toArray();
            for (final StoredImage image : store.readImages(rows)) {
                checksum += image.pixels()[image.pixels().length / 2];
            }
        }
        final double perS = (double) batches * ROW_BATCH / seconds(start);
        return checksum == Long.MIN_VALUE ? -1 : perS;
    }

    private static double writeBank(
            final FeatureStore store, final SyntheticImages data, final SplittableRandom rnd, final int batches) {
        final int n = store.size();
        final int dim = store.dimension();
        final float[] vectors = new float[ROW_BATCH * dim];
        final long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            final int[] rows = rnd.ints(ROW_BATCH, 0, n).toArray();
            for (int i = 0; i < ROW_BATCH; i++) {
                System.arraycopy(data.vector(rows[i] + b), 0, vectors, i * dim, dim);
            }
            store.writeBank(rows, vectors, null);
        }
        return (double) batches * ROW_BATCH / seconds(start);
    }

    /** CPU time of the whole process (all threads, RocksDB's background threads included), or 0 if unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    private static double seconds(final long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteTree(final Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Runs the benchmark from the command line, prints the figures and writes them as JSON when asked.
     *
     * @param args {@code [--rows N] [--dir DIR] [--json FILE] [--seed S] [--keep]}
     * @throws IOException if the JSON file or the store directory cannot be written
     */
    public static void main(final String[] args) throws IOException {
        final Settings standard = Settings.standard(null);
        final BenchArgs parsed = BenchArgs.parse(
                args,
                Map.of(
                        "--rows",
                        Integer.toString(standard.rows()),
                        "--seed",
                        Long.toString(standard.seed()),
                        "--dir",
                        ""),
                Set.of("--keep"));
        final Path dir = parsed.get("--dir").isEmpty() ? null : Path.of(parsed.get("--dir"));
        final boolean keep = parsed.flag("--keep");
        final Path tempParent = dir == null ? Files.createTempDirectory("npid-store-bench") : null;
        final Path storeDir = dir != null ? dir : tempParent.resolve("store");
        final StoreFigures figures = run(
                new Settings(
                        storeDir,
                        parsed.getInt("--rows"),
                        standard.dimension(),
                        standard.readBatches(),
                        standard.writeBatches(),
                        Long.parseLong(parsed.get("--seed")),
                        keep),
                System.err);
        if (tempParent != null && !keep) {
            Files.deleteIfExists(tempParent);
        }
        BenchJson.report(figures.asMap(), new PrintWriter(System.out, true, StandardCharsets.UTF_8), parsed.json());
    }
}
