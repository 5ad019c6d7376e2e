package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A store written by schema version 2 (class names; checked in under src/test/resources/store-v2) must keep opening
 * with the same content; if this fails, the layout changed and needs a new schema version and a migration.
 */
class StoreFormatV2Test {
    private static final int DIM = 8;
    private static final TopicPartition IMAGES_0 = new TopicPartition("npid-images", 0);

    @TempDir
    Path dir;

    /** Writes the fixture; run once by hand when a new format version is introduced. */
    public static void main(final String[] args) {
        final Path target = Path.of(args[0]);
        try (FeatureStore store = FeatureStore.open(target, StoreOptions.defaults(DIM))) {
            store.newIngest()
                    .put(TestData.image("a", 0, 4), TestData.unitVector("a", 0, DIM))
                    .put(TestData.image("b", 0, 4), null)
                    .label("a", "bag")
                    .label("b", "3")
                    .label("late", "sac à main")
                    .offset(IMAGES_0, 2)
                    .commit();
            store.saveProgress(new TrainerProgress(5, 1, 1, 2.5));
            store.compact();
        }
    }

    @Test
    void shouldOpenTheCheckedInVersion2Store() throws IOException, URISyntaxException {
        final Path copy = copyFixture();
        try (FeatureStore store =
                FeatureStore.open(copy, StoreOptions.defaults(DIM).withCreateIfMissing(false))) {
            assertEquals(2, store.size());
            assertEquals(Optional.of("bag"), store.labelOf(0));
            assertEquals(Optional.of("3"), store.labelOf("b"));
            assertEquals(Optional.of("sac à main"), store.labelOf("late"));
            assertEquals(Map.of(IMAGES_0, 2L), store.offsets());
            assertEquals(new TrainerProgress(5, 1, 1, 2.5), store.progress());
            assertEquals(
                    List.of(TestData.image("a", 0, 4), TestData.image("b", 0, 4)), store.readImages(new int[] {0, 1}));
            assertArrayEquals(
                    TestData.unitVector("a", 0, DIM),
                    store.readBank(new int[] {0}).get(0));
        }
    }

    private Path copyFixture() throws IOException, URISyntaxException {
        final Path source = Path.of(
                        StoreFormatV2Test.class.getResource("/store-v2/CURRENT").toURI())
                .getParent();
        final Path copy = dir.resolve("store-v2");
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
