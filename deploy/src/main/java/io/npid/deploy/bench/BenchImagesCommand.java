package io.npid.deploy.bench;

import io.npid.bench.trainer.ImageStorageBenchmark;
import io.npid.deploy.process.SettingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench images}: what one image costs in the feature store, for small grey, small colour and photos. */
@Command(
        name = "images",
        mixinStandardHelpOptions = true,
        description = "Bytes per stored image (shrunk to the stored size, LZ4 and Zstandard) for 28x28 grey, 32x32 RGB "
                + "and 4000x3000 JPEG photos, and the time to decode and shrink a photo.")
public final class BenchImagesCommand implements Callable<Integer> {

    @Option(
            names = "--cifar",
            paramLabel = "DIR",
            description = "A CIFAR-10 binary folder for the colour images (default: synthetic coloured shapes).")
    Path cifar;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Images of each small kind (default ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--photos",
            paramLabel = "N",
            defaultValue = "40",
            description = "4000x3000 photos made, decoded and stored (default ${DEFAULT-VALUE}).")
    int photos;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws IOException {
        if (count < 10) {
            throw new SettingException("--count", count, "must be at least 10");
        }
        if (photos < 1) {
            throw new SettingException("--photos", photos, "must be at least 1");
        }
        final List<ImageStorageBenchmark.Result> results = ImageStorageBenchmark.run(cifar, count, photos);
        ImageStorageBenchmark.describe(results).forEach(output.err()::println);
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("results", results);
        output.report(figures);
        return 0;
    }
}
