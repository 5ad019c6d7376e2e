package io.npid.bench.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one benchmark run, by the JSON key they are written under.
 *
 * @param ingestImagesPerS 28x28 images (with 128-d initial vectors) committed per second, batches of 256
 * @param readImagesRowsPerS images read per second by readImages of 128 random rows
 * @param writeBankRowsPerS bank rows written per second by writeBank of 128 random rows
 * @param loadBank1mS seconds for loadBank of 1,000,000 rows (median of three, scaled when rows differ)
 * @param diskBytesPerMillionRows bytes of the compacted bank column family per million rows
 * @param context further measurements and the run's parameters (rows, dimension, directory bytes, ...)
 */
public record StoreFigures(
        double ingestImagesPerS,
        double readImagesRowsPerS,
        double writeBankRowsPerS,
        double loadBank1mS,
        double diskBytesPerMillionRows,
        Map<String, Object> context) {

    /** Copies the context so the record is immutable. */
    public StoreFigures {
        context = Map.copyOf(context);
    }

    /** @return every figure by JSON key, the five headline keys first */
    public Map<String, Object> asMap() {
        final Map<String, Object> all = new LinkedHashMap<>();
        all.put("ingest_images_per_s", ingestImagesPerS);
        all.put("read_images_rows_per_s", readImagesRowsPerS);
        all.put("write_bank_rows_per_s", writeBankRowsPerS);
        all.put("load_bank_1m_s", loadBank1mS);
        all.put("disk_bytes_per_million_rows", diskBytesPerMillionRows);
        context.keySet().stream().sorted().forEach(k -> all.put(k, context.get(k)));
        return all;
    }
}
