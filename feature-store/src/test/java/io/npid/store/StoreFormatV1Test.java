package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by schema version 1 (checked in under src/test/resources/store-v1 by commit cae78b6, whose
 * {@code main} wrote it: images a, b, c with labels a=1, c=2 and late=5, vectors for a and b) must keep opening
 * with the same content, its int labels migrated to class names ("1", "2", "5") in place on open.
 */
class StoreFormatV1Test {
    private static final int DIM = 8;
    private static final TopicPartition IMAGES_0 = new TopicPartition("npid-images", 0);

    @TempDir
    Path dir;

    @Test
    void shouldOpenTheCheckedInVersion1StoreAndNameItsLabelsByTheirNumbers() throws IOException, URISyntaxException {
        final Path copy = copyFixture();
        try (FeatureStore store =
                FeatureStore.open(copy, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            assertVersion1Content(store, 3);
            assertArrayEquals(
                    new int[] {3},
                    store.newIngest()
                            .put(TestData.image("d", 0, 4), null)
                            .label("d", "bag")
                            .commit());
        }
        try (FeatureStore store =
                FeatureStore.open(copy, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            assertVersion1Content(store, 4);
            assertEquals(Optional.of("bag"), store.labelOf(3), "a name written after the migration");
        }
        assertEquals(StoreLayout.SCHEMA_VERSION, storedSchemaVersion(copy), "the migration is recorded");
    }

    @Test
    void shouldLeaveTheVersion1StoreUntouchedWhenOpenedWithTheWrongDimension() throws Exception {
        final Path copy = copyFixture();
        final StoreException e = assertThrows(
                StoreException.class,
                () -> FeatureStore.open(copy, StoreOptions.defaults(DIM * 2).withCreateIfMissing(false)));
        assertTrue(e.getMessage().contains("dimension " + DIM), e.getMessage());
        assertEquals(1, storedSchemaVersion(copy), "nothing was migrated");
        try (FeatureStore store =
                FeatureStore.open(copy, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            assertVersion1Content(store, 3);
        }
    }

    private static void assertVersion1Content(final FeatureStore store, final int size) {
        assertEquals(size, store.size());
        assertEquals(2, store.rowOf("c"));
        assertEquals(Optional.of("1"), store.labelOf(0));
        assertEquals(Optional.empty(), store.labelOf(1));
        assertEquals(Optional.of("2"), store.labelOf("c"));
        assertEquals(Optional.of("5"), store.labelOf("late"));
        final List<String> visited = new ArrayList<>();
        store.forEachRow((id, row, className, vector) -> visited.add(id + "=" + className));
        assertEquals(List.of("a=1", "b=null", "c=2"), visited.subList(0, 3));
        assertEquals(Map.of(IMAGES_0, 3L), store.offsets());
        assertEquals(new TrainerProgress(7, 1, 2, 3.5), store.progress());
        assertEquals(
                List.of(TestData.image("a", 0, 4), TestData.image("b", 0, 4), TestData.image("c", 0, 4)),
                store.readImages(new int[] {0, 1, 2}));
        final List<float[]> bank = store.readBank(new int[] {0, 1, 2});
        assertArrayEquals(TestData.unitVector("a", 0, DIM), bank.get(0));
        assertArrayEquals(TestData.unitVector("b", 0, DIM), bank.get(1));
        assertNull(bank.get(2));
    }

    /** Reads the meta entry with the store closed, through RocksDB directly, to see what is on disk. */
    private static int storedSchemaVersion(final Path store) {
        try (StoreHandles h =
                StoreHandles.open(store, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            return MetaEntries.getInt(h, MetaEntries.SCHEMA_VERSION);
        }
    }

    private Path copyFixture() throws IOException, URISyntaxException {
        final Path source = Path.of(
                        StoreFormatV1Test.class.getResource("/store-v1/CURRENT").toURI())
                .getParent();
        final Path copy = dir.resolve("store-v1");
        Files.createDirectories(copy);
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(source)) {
            list.forEach(files::add);
        }
        for (final Path file : files) {
            Files.copy(file, copy.resolve(file.getFileName().toString()));
        }
        return copy;
    }
}
