package io.npid.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The JMH benchmarks are generated, listed and runnable; no figure is asserted, only that each one ran. */
class JmhBenchmarksTest {

    private static final Set<String> EXPECTED = Set.of(
            "io.npid.bench.jmh.EventSerdeBenchmark.decode",
            "io.npid.bench.jmh.EventSerdeBenchmark.decodeToFloats",
            "io.npid.bench.jmh.EventSerdeBenchmark.encode",
            "io.npid.bench.jmh.FeatureBankBenchmark.readBank",
            "io.npid.bench.jmh.FeatureBankBenchmark.writeBank",
            "io.npid.bench.jmh.KnnSearchBenchmark.search",
            "io.npid.bench.jmh.NceLossBenchmark.forward");

    @Test
    void shouldListEveryBenchmarkInTheGeneratedBenchmarkList() {
        final Set<String> listed = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())
                .stream()
                .map(BenchmarkListEntry::getUsername)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPECTED), listed);
    }

    @Test
    void shouldRunEachBenchmarkOnceOnSmallInputsAndWriteJson(@TempDir final Path dir) throws Exception {
        final Path json = dir.resolve("jmh.json");
        // In this JVM (no fork), one short iteration each, small stores: this checks that they run, not how fast.
        final Options options = new OptionsBuilder()
                .include("io\\.npid\\.bench\\.jmh\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .param("rows", "2048")
                .param("kernel", "SCALAR")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .verbosity(VerboseMode.SILENT)
                .build();
        final Collection<RunResult> results = new Runner(options).run();
        final Set<String> ran =
                results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPECTED), ran);
        for (final RunResult result : results) {
            assertTrue(
                    result.getPrimaryResult().getSampleCount() > 0,
                    result.getParams().getBenchmark());
        }
        final String written = Files.readString(json);
        assertTrue(written.contains("\"benchmark\" : \"io.npid.bench.jmh.NceLossBenchmark.forward\""), written);
    }
}
