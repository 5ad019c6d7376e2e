package io.npid.deploy.bench;

import io.npid.bench.store.StoreBenchmark;
import io.npid.bench.store.StoreFigures;
import io.npid.deploy.process.SettingException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npid bench store}: the feature store's ingest, read, bank-write and bank-load speeds and its disk use. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description =
                "Feature store (RocksDB): ingest images/s, readImages rows/s, writeBank rows/s, loadBank time, disk.")
public final class BenchStoreCommand implements Callable<Integer> {

    @Option(
            names = "--rows",
            defaultValue = "1000000",
            paramLabel = "N",
            description = "Images ingested = bank rows (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where the store goes (default: a temporary directory, deleted afterwards).")
    Path dir;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws IOException {
        if (rows < 1000) {
            throw new SettingException("--rows", rows, "must be at least 1000");
        }
        final boolean temporary = dir == null;
        final Path storeDir = temporary ? Files.createTempDirectory("npid-bench-store") : dir;
        final StoreBenchmark.Settings standard = StoreBenchmark.Settings.standard(storeDir);
        final StoreBenchmark.Settings settings = new StoreBenchmark.Settings(
                storeDir,
                rows,
                standard.dimension(),
                standard.readBatches(),
                standard.writeBatches(),
                standard.seed(),
                !temporary);
        final StoreFigures figures;
        try (PrintStream log = new PrintStream(new LineForwardingStream(output.err()), true, StandardCharsets.UTF_8)) {
            figures = StoreBenchmark.run(settings, log);
        }
        output.report(figures.asMap());
        return 0;
    }
}
