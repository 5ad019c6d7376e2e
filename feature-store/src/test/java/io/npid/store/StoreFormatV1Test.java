package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by schema version 1 (checked in under src/test/resources/store-v1) must keep opening with the
 * same content; if this fails, the layout changed and needs a new schema version and a migration.
 */
class StoreFormatV1Test {
    private static final int DIM = 8;
    private static final TopicPartition IMAGES_0 = new TopicPartition("npid-images", 0);

    @TempDir
    Path dir;

    /** Writes the fixture; run once by hand when a new format version is introduced. */
    public static void main(final String[] args) {
        final Path target = Path.of(args[0]);
        try (FeatureStore store = FeatureStore.open(target, StoreOptions.defaults(DIM))) {
            store.newIngest().put(TestData.image("a", 0, 4), TestData.unitVector("a", 0, DIM))
                    .put(TestData.image("b", 0, 4), TestData.unitVector("b", 0, DIM))
                    .put(TestData.image("c", 0, 4), null).label("a", 1).label("c", 2).label("late", 5)
                    .offset(IMAGES_0, 3).commit();
            store.saveProgress(new TrainerProgress(7, 1, 2, 3.5));
            store.compact();
        }
    }

    @Test
    void shouldOpenTheCheckedInVersion1Store() throws IOException, URISyntaxException {
        final Path copy = copyFixture();
        try (FeatureStore store = FeatureStore.open(copy, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            assertEquals(3, store.size());
            assertEquals(2, store.rowOf("c"));
            assertEquals(OptionalInt.of(1), store.labelOf(0));
            assertEquals(OptionalInt.of(5), store.labelOf("late"));
            assertEquals(Map.of(IMAGES_0, 3L), store.offsets());
            assertEquals(new TrainerProgress(7, 1, 2, 3.5), store.progress());
            assertEquals(List.of(TestData.image("a", 0, 4), TestData.image("b", 0, 4), TestData.image("c", 0, 4)),
                    store.readImages(new int[] {0, 1, 2}));
            final List<float[]> bank = store.readBank(new int[] {0, 1, 2});
            assertArrayEquals(TestData.unitVector("a", 0, DIM), bank.get(0));
            assertArrayEquals(TestData.unitVector("b", 0, DIM), bank.get(1));
            assertNull(bank.get(2));
            assertArrayEquals(new int[] {3}, store.newIngest().put(TestData.image("d", 0, 4), null).commit());
        }
    }

    private Path copyFixture() throws IOException, URISyntaxException {
        final Path source = Path.of(StoreFormatV1Test.class.getResource("/store-v1/CURRENT").toURI()).getParent();
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
