package io.npid.bench.trainer;

import io.npid.bench.report.BenchArgs;
import io.npid.bench.report.BenchJson;
import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.BatchLoader;
import io.npid.trainer.data.BatchScheduler;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.ImageSource;
import io.npid.trainer.data.SplitMix64;
import io.npid.trainer.data.SyntheticShapes;
import io.npid.trainer.train.MemoryBank;
import io.npid.trainer.train.NpidLearner;
import io.npid.trainer.train.StepTimings;
import io.npid.trainer.train.TrainerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures training throughput: the median full step (forward, loss, backward, SGD, bank update) with a bank of N
 * rows, its split by phase, and how long the step waited for data.
 *
 * <p>Run: {@code java -Dai.djl.offline=true -cp ... io.npid.bench.trainer.TrainBenchmark --backbone small
 * --objective nce --batch 128 --threads 1 --steps 30 --json train-bench.json}; {@link #run} returns the figures
 * for {@code npid bench train}.
 *
 * <p>Why one file of this length: one benchmark whose phases (forward, loss, backward, refresh) are timed in one loop
 * and reported together.
 */
public final class TrainBenchmark {

    /**
     * What to measure.
     *
     * @param backbone small or resnet18
     * @param objective softmax or nce
     * @param batch images per step
     * @param threads PyTorch intra-op threads (0 = all cores)
     * @param steps measured steps
     * @param warmup unmeasured steps first
     * @param bankSize N
     * @param channels input channels
     * @param size input side
     * @param similarity NCE's similarity form: auto, gather or product
     * @param settings further learner settings (npid.* keys, e.g. npid.nce.negatives=shared)
     * @param refreshRows rows to refresh after the steps, to time a paused refresh and steps with a spread one's
     *     slices (0: none)
     */
    public record Options(
            String backbone,
            String objective,
            int batch,
            int threads,
            int steps,
            int warmup,
            int bankSize,
            int channels,
            int size,
            String similarity,
            Map<String, String> settings,
            int refreshRows) {

        /** Copies the settings. */
        public Options {
            settings = Map.copyOf(settings);
        }

        /** @return the defaults: small-flat, softmax, batch 128, all cores, 30 steps, N 60,000, 1x28x28 */
        public static Options defaults() {
            return new Options("small-flat", "softmax", 128, 0, 30, 3, 60_000, 1, 28, "auto", Map.of(), 0);
        }
    }

    /**
     * The figures.
     *
     * @param options what was measured
     * @param imagesPerSecond batch / median full-step time
     * @param endToEndImagesPerSecond images / wall time including waits for data
     * @param medianStepMs median step time
     * @param dataWaitMs mean time the training thread waited for an augmented batch
     * @param phaseMs mean ms per step phase
     * @param threadsUsed PyTorch threads in effect
     * @param medianStepCpuMs median CPU time of the training thread per step; with one thread all engine work runs
     *     on it, so this is what a step costs on an uncontended core even when other processes share it
     * @param cpuImagesPerSecond batch / median step CPU time (meaningful for one thread)
     * @param objectiveRun the objective the steps ran: nce when a softmax bank is above npid.softmax.max.rows
     * @param bankBytesPerRow bytes per bank row in memory (npid.bank.dtype)
     * @param refreshRowsPerSecond rows per second of a paused refresh of refreshRows rows (NaN when not measured)
     * @param spreadStepMs median time of a step plus its slice of a spread refresh (NaN when not measured)
     * @param spreadStepCpuMs the same in CPU time of the training thread (NaN when not measured)
     * @param spreadSliceRows rows per slice of a spread refresh of the whole bank (npid.bank.refresh.spread.epochs)
     * @param spreadRefreshSteps steps a spread refresh of the whole bank lasts (bank size / slice rows)
     */
    public record Result(
            Options options,
            double imagesPerSecond,
            double endToEndImagesPerSecond,
            double medianStepMs,
            double dataWaitMs,
            Map<String, Double> phaseMs,
            int threadsUsed,
            double medianStepCpuMs,
            double cpuImagesPerSecond,
            String objectiveRun,
            int bankBytesPerRow,
            double refreshRowsPerSecond,
            double spreadStepMs,
            double spreadStepCpuMs,
            int spreadSliceRows,
            int spreadRefreshSteps) {}

    private TrainBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param options what to measure
     * @return the figures
     * @throws InterruptedException when interrupted waiting for data
     */
    public static Result run(final Options options) throws InterruptedException {
        final Map<String, String> settings = new java.util.HashMap<>(options.settings());
        settings.putAll(Map.of(
                TrainerConfig.BACKBONE_CONFIG,
                options.backbone(),
                TrainerConfig.OBJECTIVE_CONFIG,
                options.objective(),
                TrainerConfig.BATCH_SIZE_CONFIG,
                String.valueOf(options.batch()),
                TrainerConfig.THREADS_CONFIG,
                String.valueOf(options.threads()),
                TrainerConfig.NCE_SIMILARITY_CONFIG,
                options.similarity()));
        final TrainerConfig config = TrainerConfig.defaults().with(settings);
        final List<DecodedImage> images = SyntheticShapes.generate(1024, 1).images();
        final ImageSource source = rows -> {
            final List<DecodedImage> out = new ArrayList<>(rows.length);
            for (final int row : rows) {
                out.add(images.get(row % images.size()));
            }
            return out;
        };
        try (NpidLearner learner = NpidLearner.create(config, options.channels(), options.size())) {
            learner.appendBankRows(MemoryBank.randomRows(options.bankSize(), config.lowDim(), new SplitMix64(1)));
            final BatchScheduler scheduler = new BatchScheduler(options.batch(), 1);
            scheduler.setSize(options.bankSize());
            final double[] stepMs = new double[options.steps()];
            final double[] stepCpuMs = new double[options.steps()];
            final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long waitNanos = 0;
            final long start;
            try (BatchLoader loader =
                    new BatchLoader(scheduler, source, learner.augmentation(), 1, config.loaderPrefetch())) {
                for (int i = 0; i < options.warmup(); i++) {
                    learner.step(loader.take());
                }
                learner.timings().reset();
                start = System.nanoTime();
                for (int i = 0; i < options.steps(); i++) {
                    final long t0 = System.nanoTime();
                    final AugmentedBatch batch = loader.take();
                    final long t1 = System.nanoTime();
                    final long c1 = cpu.getCurrentThreadCpuTime();
                    learner.step(batch);
                    stepCpuMs[i] = (cpu.getCurrentThreadCpuTime() - c1) / 1e6;
                    stepMs[i] = (System.nanoTime() - t1) / 1e6;
                    waitNanos += t1 - t0;
                }
            }
            final double wall = (System.nanoTime() - start) / 1e9;
            final String objectiveRun = Double.isNaN(learner.z()) ? "softmax" : "nce";
            double refreshRate = Double.NaN;
            double[] spreadStep = {Double.NaN, Double.NaN};
            if (options.refreshRows() > 0) {
                final int count = Math.min(options.refreshRows(), options.bankSize());
                final int[] rows = new int[count];
                Arrays.setAll(rows, i -> i);
                final List<DecodedImage> refreshImages = source.images(rows);
                final long r0 = System.nanoTime();
                learner.refreshBankRows(0, refreshImages);
                refreshRate = count / ((System.nanoTime() - r0) / 1e9);
                spreadStep = spreadSteps(learner, scheduler, source, config, options, refreshImages);
            }
            final double median = median(stepMs);
            final double medianCpu = median(stepCpuMs);
            final Map<String, Double> phases = new LinkedHashMap<>();
            for (final StepTimings.Phase phase : StepTimings.Phase.values()) {
                phases.put(
                        phase.name().toLowerCase(java.util.Locale.ROOT),
                        learner.timings().meanMillis(phase));
            }
            return new Result(
                    options,
                    options.batch() / (median / 1000),
                    (double) options.batch() * options.steps() / wall,
                    median,
                    waitNanos / 1e6 / options.steps(),
                    phases,
                    io.npid.trainer.model.PtEngine.numThreads(),
                    medianCpu,
                    options.batch() / (medianCpu / 1000),
                    objectiveRun,
                    learner.bankBytesPerRow(),
                    refreshRate,
                    spreadStep[0],
                    spreadStep[1],
                    config.bankRefreshSliceRows(options.bankSize()),
                    steps(options.bankSize(), config.bankRefreshSliceRows(options.bankSize())));
        }
    }

    private static int steps(final int rows, final int sliceRows) {
        return (rows + sliceRows - 1) / sliceRows;
    }

    /**
     * Median wall and CPU ms of a step followed by a spread refresh's slice (the trainer's slice for the bank size,
     * npid.bank.refresh.spread.epochs; frozen encoder).
     */
    private static double[] spreadSteps(
            final NpidLearner learner,
            final BatchScheduler scheduler,
            final ImageSource source,
            final TrainerConfig config,
            final Options options,
            final List<DecodedImage> refreshImages)
            throws InterruptedException {
        final int slice = Math.min(config.bankRefreshSliceRows(options.bankSize()), refreshImages.size());
        final double[] ms = new double[options.steps()];
        final double[] cpuMs = new double[options.steps()];
        final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        learner.freezeEncoder();
        try (BatchLoader loader =
                new BatchLoader(scheduler, source, learner.augmentation(), 1, config.loaderPrefetch())) {
            for (int i = 0; i < options.steps(); i++) {
                final AugmentedBatch batch = loader.take();
                final int first = (i * slice) % Math.max(1, refreshImages.size() - slice);
                final long t0 = System.nanoTime();
                final long c0 = cpu.getCurrentThreadCpuTime();
                learner.step(batch);
                learner.refreshBankRowsFrozen(
                        first, refreshImages.subList(first, Math.min(refreshImages.size(), first + slice)));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpuMs[i] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
            }
        } finally {
            learner.releaseFrozenEncoder();
        }
        return new double[] {median(ms), median(cpuMs)};
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Command-line entry: prints the figures and optionally writes them as JSON.
     *
     * @param args --backbone, --objective, --batch, --threads, --steps, --warmup, --bank-size, --channels,
     *     --size, --similarity, --refresh-rows, --set KEY=VALUE (repeatable), --json FILE
     * @throws Exception on a bad argument or a failed run
     */
    public static void main(final String[] args) throws Exception {
        final Options d = Options.defaults();
        final Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("--backbone", d.backbone());
        defaults.put("--objective", d.objective());
        defaults.put("--batch", Integer.toString(d.batch()));
        defaults.put("--threads", Integer.toString(d.threads()));
        defaults.put("--steps", Integer.toString(d.steps()));
        defaults.put("--warmup", Integer.toString(d.warmup()));
        defaults.put("--bank-size", Integer.toString(d.bankSize()));
        defaults.put("--channels", Integer.toString(d.channels()));
        defaults.put("--size", Integer.toString(d.size()));
        defaults.put("--similarity", d.similarity());
        defaults.put("--refresh-rows", "0");
        defaults.put("--set", null);
        final BenchArgs a = BenchArgs.parse(args, defaults);
        final Options o = new Options(
                a.get("--backbone"),
                a.get("--objective"),
                a.getInt("--batch"),
                a.getInt("--threads"),
                a.getInt("--steps"),
                a.getInt("--warmup"),
                a.getInt("--bank-size"),
                a.getInt("--channels"),
                a.getInt("--size"),
                a.get("--similarity"),
                a.settings(),
                a.getInt("--refresh-rows"));
        final Path json = a.json();
        final Result result = run(o);
        System.out.printf(
                "%s %s batch %d threads %d N %d: %.1f images/s (median step %.1f ms, end-to-end %.1f "
                        + "images/s, data wait %.2f ms/step; CPU %.1f ms/step = %.1f images per CPU-second)%n",
                o.backbone(),
                o.objective(),
                o.batch(),
                result.threadsUsed(),
                o.bankSize(),
                result.imagesPerSecond(),
                result.medianStepMs(),
                result.endToEndImagesPerSecond(),
                result.dataWaitMs(),
                result.medianStepCpuMs(),
                result.cpuImagesPerSecond());
        System.out.println("  ms per step: " + result.phaseMs());
        System.out.printf(
                "  objective run: %s, settings %s, bank %d bytes/row%n",
                result.objectiveRun(), o.settings(), result.bankBytesPerRow());
        if (o.refreshRows() > 0) {
            System.out.printf(
                    "  paused refresh: %.0f rows/s; step + spread slice of %d rows: %.1f ms median (CPU "
                            + "%.1f ms); a spread refresh of %d rows lasts %d steps%n",
                    result.refreshRowsPerSecond(),
                    result.spreadSliceRows(),
                    result.spreadStepMs(),
                    result.spreadStepCpuMs(),
                    o.bankSize(),
                    result.spreadRefreshSteps());
        }
        if (json != null) {
            write(result, json);
        }
    }

    /**
     * Writes the figures as JSON.
     *
     * @param result the figures
     * @param file the output file
     * @throws IOException on write failure
     */
    public static void write(final Result result, final Path file) throws IOException {
        BenchJson.write(result, file);
    }
}
