package io.npid.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON writer of the benchmarks: figures (maps of numbers, strings, booleans, lists, nested maps, or
 * records) as indented JSON, and the flat figures of {@code npid bench} as aligned lines too.
 */
public final class BenchJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {}

    /**
     * Prints the figures and, when a file is given, writes them as JSON.
     *
     * @param figures JSON keys to values (numbers, strings, nested maps)
     * @param out where the lines go
     * @param file the JSON file, or null
     * @throws IOException when the file cannot be written
     */
    public static void report(final Map<String, Object> figures, final PrintWriter out, final Path file)
            throws IOException {
        figures.forEach((k, v) -> out.printf(
                Locale.ROOT, "%-34s %s%n", k, v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d) : v));
        out.flush();
        if (file != null) {
            write(figures, file);
        }
    }

    /**
     * Writes figures to a file as JSON, creating its directory.
     *
     * @param figures a map, list or record of figures
     * @param file the JSON file
     * @throws IOException when the file cannot be written
     */
    public static void write(final Object figures, final Path file) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), figures);
    }

    /**
     * The figures as JSON text.
     *
     * @param figures a map, list or record of figures
     * @return indented JSON
     */
    public static String toJson(final Object figures) {
        try {
            return JSON.writeValueAsString(figures);
        } catch (final JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
