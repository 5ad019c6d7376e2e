package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
    @Test
    void shouldDefaultToWalOnSyncOffAndLz4Images() {
        final StoreOptions o = StoreOptions.defaults(128);
        assertEquals(128, o.dimension());
        assertTrue(o.walEnabled());
        assertFalse(o.syncWrites());
        assertEquals(ImageCompression.LZ4, o.imageCompression());
        assertEquals(64L << 20, o.blockCacheBytes());
        assertTrue(o.createIfMissing());
    }

    @Test
    void shouldReadStoreSettingsFromAMapAndIgnoreOthers() {
        final StoreOptions o = StoreOptions.fromMap(Map.of(
                "store.dimension",
                "64",
                "store.image.compression",
                "ZSTD",
                "store.sync.writes",
                "true",
                "store.block.cache.bytes",
                8L << 20,
                "store.max.background.jobs",
                "4",
                "npid.lr",
                "0.03"));
        assertEquals(64, o.dimension());
        assertEquals(ImageCompression.ZSTD, o.imageCompression());
        assertTrue(o.syncWrites());
        assertEquals(8L << 20, o.blockCacheBytes());
        assertEquals(4, o.maxBackgroundJobs());
        assertTrue(o.toString().contains("store.image.compression=zstd"), o.toString());
    }

    @Test
    void shouldDocumentEverySettingWithItsDefault() {
        assertEquals(9, StoreOptions.configDef().configKeys().size());
        StoreOptions.configDef().configKeys().forEach((key, definition) -> {
            assertTrue(key.startsWith("store."), key);
            assertTrue(
                    definition.documentation.contains("Default") || definition.documentation.contains("No default"),
                    key + ": " + definition.documentation);
        });
    }

    @Test
    void shouldFailFastNamingTheSettingAndValue() {
        assertMessage(
                "Invalid value 0 for configuration store.dimension: must be at least 1",
                () -> StoreOptions.defaults(0));
        assertMessageStarts(
                "Invalid value gzip for configuration store.image.compression: ",
                () -> StoreOptions.fromMap(Map.of("store.dimension", "8", "store.image.compression", "gzip")));
        assertMessageStarts(
                "Invalid value yes for configuration store.wal.enabled: ",
                () -> StoreOptions.fromMap(Map.of("store.dimension", "8", "store.wal.enabled", "yes")));
        assertMessageStarts(
                "Invalid value 1k for configuration store.block.cache.bytes: ",
                () -> StoreOptions.fromMap(Map.of("store.dimension", "8", "store.block.cache.bytes", "1k")));
        assertMessage(
                "Invalid value 100 for configuration store.write.buffer.bytes: must be at least 1048576",
                () -> StoreOptions.defaults(8).withWriteBufferBytes(100));
        assertMessage(
                "Invalid value 0 for configuration store.max.background.jobs: must be between 1 and 64",
                () -> StoreOptions.defaults(8).withMaxBackgroundJobs(0));
        final ConfigException missing = assertThrows(ConfigException.class, () -> StoreOptions.fromMap(Map.of()));
        assertTrue(missing.getMessage().contains("store.dimension"), missing.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownStoreKeyNamingTheClosest() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> StoreOptions.fromMap(Map.of("store.dimension", "8", "store.sync.write", "true")));
        assertTrue(
                e.getMessage()
                        .startsWith("Invalid value true for configuration store.sync.write: unknown setting "
                                + "(did you mean store.sync.writes?)"),
                e.getMessage());
    }

    private static void assertMessageStarts(
            final String expected, final org.junit.jupiter.api.function.Executable call) {
        final ConfigException e = assertThrows(ConfigException.class, call);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable call) {
        final ConfigException e = assertThrows(ConfigException.class, call);
        assertEquals(expected, e.getMessage());
    }
}
