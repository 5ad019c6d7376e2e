package io.npid.store;

import java.util.Map;

/**
 * How much disk a feature store uses: the live table files of each column family and the whole directory.
 *
 * @param tableBytesByFamily bytes of live SST files per column family (images, rows, bank, labels, meta); data still
 *     in memtables or the write-ahead log is not counted here
 * @param directoryBytes bytes of every file in the store directory (tables, WAL, manifest, logs)
 */
public record DiskUsage(Map<String, Long> tableBytesByFamily, long directoryBytes) {
    /** Copies the map so the record is immutable. */
    public DiskUsage {
        tableBytesByFamily = Map.copyOf(tableBytesByFamily);
    }

    /**
     * @param family a column family name
     * @return its live table bytes, 0 if unknown
     */
    public long tableBytes(final String family) {
        return tableBytesByFamily.getOrDefault(family, 0L);
    }
}
