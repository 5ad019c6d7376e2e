package io.npid.bench.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered tree of benchmark figures written as JSON (numbers, strings, nested maps and lists only), so that
 * runs can be compared side by side without a JSON library.
 */
final class JsonReport {

    private final Map<String, Object> root = new LinkedHashMap<>();

    /**
     * Adds a figure or a nested section.
     *
     * @param key the name
     * @param value a Number, String, Boolean, Map or List
     * @return this report
     */
    JsonReport put(final String key, final Object value) {
        root.put(key, value);
        return this;
    }

    /**
     * Writes the report, creating parent directories.
     *
     * @param path the file
     * @throws IOException if it cannot be written
     */
    void write(final Path path) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, toJson(root, "") + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return toJson(root, "");
    }

    private static String toJson(final Object value, final String indent) {
        if (value instanceof Map<?, ?> map) {
            final StringBuilder out = new StringBuilder("{");
            String separator = "\n";
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator).append(indent).append("  ").append(quote(entry.getKey().toString()))
                        .append(": ").append(toJson(entry.getValue(), indent + "  "));
                separator = ",\n";
            }
            return out.append("\n").append(indent).append("}").toString();
        }
        if (value instanceof List<?> list) {
            final StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(toJson(list.get(i), indent));
            }
            return out.append("]").toString();
        }
        if (value instanceof Double || value instanceof Float) {
            final double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return "null";
            }
            // Rates read better as whole numbers; small figures keep four significant digits.
            return Math.abs(d) >= 1000
                    ? Long.toString(Math.round(d))
                    : String.format(java.util.Locale.ROOT, "%.4g", d);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value == null ? "null" : quote(value.toString());
    }

    private static String quote(final String text) {
        final StringBuilder out = new StringBuilder("\"");
        for (final char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
