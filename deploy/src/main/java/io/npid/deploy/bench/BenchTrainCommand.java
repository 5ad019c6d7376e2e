package io.npid.deploy.bench;

import io.npid.bench.trainer.TrainBenchmark;
import io.npid.deploy.process.SettingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench train}: training throughput (median full step) and its split by phase. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Training speed: images/s of the median full step and where the time goes.")
public final class BenchTrainCommand implements Callable<Integer> {

    @Option(
            names = "--backbone",
            defaultValue = "small-flat",
            paramLabel = "small-flat|small-flat-wide|small|resnet18",
            description = "Encoder backbone (default ${DEFAULT-VALUE}).")
    String backbone;

    @Option(
            names = "--objective",
            defaultValue = "softmax",
            paramLabel = "softmax|nce",
            description = "Objective (default ${DEFAULT-VALUE}).")
    String objective;

    @Option(
            names = "--batch",
            defaultValue = "128",
            paramLabel = "B",
            description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "T",
            description = "PyTorch threads, 0 for all cores (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--steps",
            defaultValue = "30",
            paramLabel = "S",
            description = "Measured steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--bank-size",
            defaultValue = "60000",
            paramLabel = "N",
            description = "Memory-bank rows (default ${DEFAULT-VALUE}).")
    int bankSize;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A learner setting (npid.*, e.g. npid.nce.negatives=shared), repeatable.")
    Map<String, String> settings = new java.util.TreeMap<>();

    @Option(
            names = "--refresh-rows",
            defaultValue = "0",
            paramLabel = "R",
            description = "Also time a paused refresh of R bank rows and steps with a spread refresh's slices.")
    int refreshRows;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new SettingException("--steps", steps, "must be at least 1");
        }
        if (batch < 1) {
            throw new SettingException("--batch", batch, "must be at least 1");
        }
        final TrainBenchmark.Options defaults = TrainBenchmark.Options.defaults();
        final TrainBenchmark.Options options = new TrainBenchmark.Options(
                backbone,
                objective,
                batch,
                threads,
                steps,
                defaults.warmup(),
                bankSize,
                defaults.channels(),
                defaults.size(),
                defaults.similarity(),
                settings,
                refreshRows);
        final TrainBenchmark.Result r = TrainBenchmark.run(options);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("images_per_s", r.imagesPerSecond());
        figures.put("end_to_end_images_per_s", r.endToEndImagesPerSecond());
        figures.put("median_step_ms", r.medianStepMs());
        figures.put("median_step_cpu_ms", r.medianStepCpuMs());
        figures.put("cpu_images_per_s", r.cpuImagesPerSecond());
        figures.put("data_wait_ms", r.dataWaitMs());
        figures.put("phase_ms", r.phaseMs());
        figures.put("backbone", backbone);
        figures.put("objective", objective);
        figures.put("batch", batch);
        figures.put("threads", r.threadsUsed());
        figures.put("steps", steps);
        figures.put("bank_size", bankSize);
        figures.put("settings", settings);
        figures.put("objective_run", r.objectiveRun());
        figures.put("bank_bytes_per_row", r.bankBytesPerRow());
        if (refreshRows > 0) {
            figures.put("refresh_rows_per_s", r.refreshRowsPerSecond());
            figures.put("spread_step_ms", r.spreadStepMs());
            figures.put("spread_step_cpu_ms", r.spreadStepCpuMs());
            figures.put("spread_slice_rows", r.spreadSliceRows());
            figures.put("spread_refresh_steps", r.spreadRefreshSteps());
        }
        output.report(figures);
        return 0;
    }
}
