package io.npid.bench.scale;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The memory and disk measurements of {@link ScaleIndexerRun}: heap, resident set, state dir and topic bytes. */
final class ScaleFootprint {

    private ScaleFootprint() {}

    /** Bytes of a topic's log segments in the broker's log dir, or -1 when the log dir is unknown. */
    static long topicBytes(final Path brokerLogDir, final String topic) throws IOException {
        if (brokerLogDir == null) {
            return -1;
        }
        long bytes = 0;
        try (Stream<Path> dirs = Files.list(brokerLogDir)) {
            for (final Path dir : (Iterable<Path>) dirs::iterator) {
                final String name = dir.getFileName().toString();
                if (name.startsWith(topic + "-")
                        && name.substring(topic.length() + 1).matches("\\d+")) {
                    // segment data only: the broker preallocates its offset and time index files (10 MiB each)
                    try (Stream<Path> segments = Files.list(dir)) {
                        bytes += segments.filter(f -> f.toString().endsWith(".log"))
                                .mapToLong(f -> f.toFile().length())
                                .sum();
                    }
                }
            }
        }
        return bytes;
    }

    static long treeBytes(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0; // a RocksDB file removed by compaction while walking
                        }
                    })
                    .sum();
        }
    }

    static void deleteTree(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path :
                    paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Heap in use after full collections (repeated: one GC can leave finalizable or soft garbage). */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The process's resident set (Linux), or -1 elsewhere: includes RocksDB's off-heap memory. */
    static long rssBytes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
