package io.npid.bench.indexer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs FAISS {@code IndexFlatIP} on the same vectors through {@code bench/faiss_knn.py}, so that the two
 * engines are measured in one run, on one CPU (the child inherits the CPU affinity), under the same load.
 */
final class FaissComparison {

    private static final long TIMEOUT_MINUTES = 30;

    private FaissComparison() {}

    /**
     * Measures FAISS.
     *
     * @param python the Python interpreter that can {@code import faiss}
     * @param script path of faiss_knn.py
     * @param data row-major index vectors
     * @param queries row-major queries
     * @param dim values per vector
     * @param k neighbours per query
     * @param singleQueries queries to time one at a time
     * @param threads FAISS (OpenMP and BLAS) threads
     * @return the figures the script printed ({@code batch_queries_per_s}, {@code single_queries_per_s}, ...)
     * @throws IOException if the script cannot run or fails
     */
    static Map<String, Object> run(
            final String python,
            final Path script,
            final float[] data,
            final float[] queries,
            final int dim,
            final int k,
            final int singleQueries,
            final int threads)
            throws IOException {
        if (!Files.isRegularFile(script)) {
            throw new IOException("FAISS script not found at " + script.toAbsolutePath()
                    + "; pass --faiss-script PATH (it is bench/faiss_knn.py in the source tree)");
        }
        final Path dir = Files.createTempDirectory("npid-knn-bench");
        try {
            final Path dataFile = writeFloats(dir.resolve("data.f32"), data);
            final Path queryFile = writeFloats(dir.resolve("queries.f32"), queries);
            final List<String> command = List.of(
                    python,
                    script.toString(),
                    "--data",
                    dataFile.toString(),
                    "--queries",
                    queryFile.toString(),
                    "--dim",
                    Integer.toString(dim),
                    "--k",
                    Integer.toString(k),
                    "--single",
                    Integer.toString(singleQueries),
                    "--threads",
                    Integer.toString(threads));
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // One thread means one thread for FAISS's OpenMP loops and for the BLAS behind its batched search.
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
            final Process process = builder.start();
            final List<String> lines = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("FAISS benchmark failed: " + String.join("\n", lines));
            }
            return parse(lines);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the FAISS benchmark", e);
        } finally {
            try (var files = Files.list(dir)) {
                for (final Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Reads the script's {@code name=value} lines; values that parse as numbers become numbers. */
    private static Map<String, Object> parse(final List<String> lines) throws IOException {
        final Map<String, Object> figures = new LinkedHashMap<>();
        for (final String line : lines) {
            final int eq = line.indexOf('=');
            if (eq <= 0 || line.contains(" ")) {
                continue;
            }
            final String value = line.substring(eq + 1);
            try {
                figures.put(line.substring(0, eq), Double.parseDouble(value));
            } catch (final NumberFormatException e) {
                figures.put(line.substring(0, eq), value);
            }
        }
        if (!figures.containsKey("batch_queries_per_s")) {
            throw new IOException("FAISS benchmark printed no figures: " + String.join("\n", lines));
        }
        return figures;
    }

    private static Path writeFloats(final Path file, final float[] values) throws IOException {
        final ByteBuffer bytes =
                ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
        return file;
    }
}
