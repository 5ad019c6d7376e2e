package io.npid.bench.indexer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes benchmark figures (numbers, strings, booleans, nested maps and lists) as JSON, without a library. */
final class Json {

    private Json() {
    }

    static String write(final Object value) {
        final StringBuilder out = new StringBuilder();
        append(out, value, "");
        return out.toString();
    }

    static void writeFile(final Path path, final Object value) throws IOException {
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.writeString(path, write(value) + "\n", StandardCharsets.UTF_8);
    }

    private static void append(final StringBuilder out, final Object value, final String indent) {
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "\n";
            for (final Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(separator).append(indent).append("  ");
                quote(out, entry.getKey().toString());
                out.append(": ");
                append(out, entry.getValue(), indent + "  ");
                separator = ",\n";
            }
            out.append('\n').append(indent).append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                append(out, list.get(i), indent);
            }
            out.append(']');
        } else if (value instanceof Double || value instanceof Float) {
            final double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value == null) {
            out.append("null");
        } else {
            quote(out, value.toString());
        }
    }

    private static void quote(final StringBuilder out, final String text) {
        out.append('"');
        for (final char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
