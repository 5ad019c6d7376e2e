package io.npid.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes benchmark figures as one JSON object and prints them as aligned lines. */
final class BenchJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {
    }

    /**
     * Prints the figures and, when a file is given, writes them as JSON.
     *
     * @param figures JSON keys to values (numbers, strings, nested maps)
     * @param out where the lines go
     * @param file the JSON file, or null
     * @throws IOException when the file cannot be written
     */
    static void report(final Map<String, Object> figures, final PrintWriter out, final Path file) throws IOException {
        figures.forEach((k, v) -> out.printf(Locale.ROOT, "%-34s %s%n", k,
            v instanceof Double d ? String.format(Locale.ROOT, "%,.3f", d) : v));
        out.flush();
        if (file != null) {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            JSON.writeValue(file.toFile(), figures);
        }
    }
}
