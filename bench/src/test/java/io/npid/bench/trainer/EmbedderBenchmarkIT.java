package io.npid.bench.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaExtension;
import io.npid.broker.EmbeddedKafkaExtension.BootstrapServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbedderBenchmarkIT {
    @Test
    void shouldMeasureEveryFigureOnATinyRun(@BootstrapServers final String bootstrap, @TempDir final Path dir)
            throws Exception {
        final EmbedderBenchmark.Options options =
                new EmbedderBenchmark.Options(bootstrap, "small", 1, 28, 1, 16, 60, 20, 100, 2);
        final EmbedderBenchmark.Result result = EmbedderBenchmark.run(options);
        assertTrue(result.encoderSingleImageMs() > 0, "single-image latency " + result.encoderSingleImageMs());
        assertTrue(result.encoderBatchImagesPerSecond() > 0, "batch throughput " + result);
        assertTrue(result.burstQueriesPerSecond() > 0, "burst throughput " + result);
        assertTrue(
                result.latencyP50Ms() > 0
                        && result.latencyP50Ms() <= result.latencyP99Ms()
                        && result.latencyP99Ms() <= result.latencyMaxMs(),
                "latency percentiles in order " + result);
        assertTrue(result.pacedRateAchieved() > 50, "paced rate " + result.pacedRateAchieved());
        assertTrue(result.embedMsPerQuery() > 0, "encoder time per query " + result.embedMsPerQuery());
        final Path json = dir.resolve("embed.json");
        EmbedderBenchmark.write(result, json);
        assertTrue(Files.readString(json).contains("\"burstQueriesPerSecond\""));
    }
}
