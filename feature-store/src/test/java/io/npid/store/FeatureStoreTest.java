package io.npid.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {
    private static final int DIM = 8;
    private static final TopicPartition IMAGES_0 = new TopicPartition("npid-images", 0);
    private static final TopicPartition IMAGES_1 = new TopicPartition("npid-images", 1);

    @TempDir
    Path dir;

    private FeatureStore open() {
        return FeatureStore.open(dir.resolve("store"), StoreOptions.defaults(DIM));
    }

    @Test
    void shouldAssignDenseRowsInPutOrder() {
        try (FeatureStore store = open()) {
            assertEquals(0, store.size());
            final int[] rows = store.newIngest()
                    .put(TestData.image("a", 0, 4), null)
                    .put(TestData.image("b", 0, 4), null)
                    .put(TestData.image("c", 0, 4), null)
                    .commit();
            assertArrayEquals(new int[] {0, 1, 2}, rows);
            final int[] more =
                    store.newIngest().put(TestData.image("d", 0, 4), null).commit();
            assertArrayEquals(new int[] {3}, more);
            assertEquals(4, store.size());
            assertEquals(2, store.rowOf("c"));
            assertEquals("d", store.idOf(3));
            assertEquals(-1, store.rowOf("nope"));
            assertNull(store.idOf(4));
            assertNull(store.idOf(-1));
        }
    }

    @Test
    void shouldKeepRowAndReplaceImageWhenSameIdArrivesAgain() {
        try (FeatureStore store = open()) {
            store.newIngest()
                    .put(TestData.image("a", 0, 4), null)
                    .put(TestData.image("b", 0, 4), null)
                    .commit();
            final int[] rows = store.newIngest()
                    .put(TestData.image("c", 0, 4), null)
                    .put(TestData.image("a", 1, 4), null)
                    .commit();
            assertArrayEquals(new int[] {2, 0}, rows);
            assertEquals(3, store.size());
            assertEquals(
                    TestData.image("a", 1, 4), store.readImages(new int[] {0}).get(0));
        }
    }

    @Test
    void shouldGiveOneRowToAnIdPutTwiceInOneBatchAndKeepTheLastImage() {
        try (FeatureStore store = open()) {
            final int[] rows = store.newIngest()
                    .put(TestData.image("x", 0, 4), null)
                    .put(TestData.image("y", 0, 4), null)
                    .put(TestData.image("x", 1, 4), null)
                    .commit();
            assertArrayEquals(new int[] {0, 1, 0}, rows);
            assertEquals(2, store.size());
            assertEquals(
                    TestData.image("x", 1, 4), store.readImages(new int[] {0}).get(0));
        }
    }

    @Test
    void shouldReadImagesOfRowsInTheOrderAsked() {
        try (FeatureStore store = open()) {
            final IngestBatch batch = store.newIngest();
            for (int i = 0; i < 20; i++) {
                batch.put(TestData.image("img-" + i, 0, 28), null);
            }
            batch.commit();
            final List<StoredImage> images = store.readImages(new int[] {19, 3, 3, 0});
            assertEquals(
                    List.of(
                            TestData.image("img-19", 0, 28),
                            TestData.image("img-3", 0, 28),
                            TestData.image("img-3", 0, 28),
                            TestData.image("img-0", 0, 28)),
                    images);
            final StoreException e = assertThrows(StoreException.class, () -> store.readImages(new int[] {1, 20}));
            assertTrue(e.getMessage().contains("row 20"), e.getMessage());
        }
    }

    @Test
    void shouldKeepALabelThatArrivesBeforeItsImage() {
        try (FeatureStore store = open()) {
            store.newIngest().label("late-image", "bag").commit();
            assertEquals(0, store.size());
            assertEquals(Optional.of("bag"), store.labelOf("late-image"));
            store.newIngest()
                    .put(TestData.image("other", 0, 4), null)
                    .put(TestData.image("late-image", 0, 4), null)
                    .commit();
            assertEquals(Optional.of("bag"), store.labelOf(1));
            assertEquals(Optional.empty(), store.labelOf(0));
            assertEquals(Optional.empty(), store.labelOf(5));
            store.newIngest().label("late-image", "T-shirt/top").commit();
            assertEquals(Optional.of("T-shirt/top"), store.labelOf(1));
        }
    }

    @Test
    void shouldKeepClassNamesExactlyAndRefuseUnresolvedOnes() {
        try (FeatureStore store = open()) {
            store.newIngest()
                    .label("a", "3")
                    .label("b", "sac à main \uD83D\uDC5C")
                    .commit();
            assertEquals(Optional.of("3"), store.labelOf("a"));
            assertEquals(Optional.of("sac à main \uD83D\uDC5C"), store.labelOf("b"));
            final IngestBatch batch = store.newIngest();
            assertThrows(IllegalArgumentException.class, () -> batch.label("c", " "));
            assertThrows(IllegalArgumentException.class, () -> batch.label("c", " bag"));
            assertThrows(IllegalArgumentException.class, () -> batch.label("", "bag"));
            assertThrows(NullPointerException.class, () -> batch.label("c", null));
        }
    }

    @Test
    void shouldStoreOffsetsWithTheBatchAndKeepTheLatestPerPartition() {
        try (FeatureStore store = open()) {
            assertEquals(Map.of(), store.offsets());
            store.newIngest()
                    .put(TestData.image("a", 0, 4), null)
                    .offset(IMAGES_0, 10)
                    .offset(IMAGES_1, 4)
                    .commit();
            store.newIngest()
                    .put(TestData.image("b", 0, 4), null)
                    .offset(IMAGES_0, 11)
                    .commit();
            assertEquals(Map.of(IMAGES_0, 11L, IMAGES_1, 4L), store.offsets());
        }
    }

    @Test
    void shouldKeepEverythingAcrossReopen() {
        try (FeatureStore store = open()) {
            store.newIngest()
                    .put(TestData.image("a", 0, 4), TestData.unitVector("a", 0, DIM))
                    .put(TestData.image("b", 0, 4), null)
                    .label("b", "2")
                    .offset(IMAGES_0, 2)
                    .commit();
        }
        try (FeatureStore store = open()) {
            assertEquals(2, store.size());
            assertEquals(1, store.rowOf("b"));
            assertEquals(Optional.of("2"), store.labelOf(1));
            assertEquals(Map.of(IMAGES_0, 2L), store.offsets());
            assertEquals(
                    TestData.image("a", 0, 4), store.readImages(new int[] {0}).get(0));
            final int[] rows =
                    store.newIngest().put(TestData.image("c", 0, 4), null).commit();
            assertArrayEquals(new int[] {2}, rows, "row numbering continues after reopen");
        }
    }

    @Test
    void shouldRefuseAnInitialVectorThatIsNotAUnitVectorNamingTheImage() {
        try (FeatureStore store = open()) {
            final IngestBatch batch = store.newIngest();
            final float[] twice = TestData.unitVector("a", 0, DIM);
            for (int i = 0; i < DIM; i++) {
                twice[i] *= 2;
            }
            final StoreException e =
                    assertThrows(StoreException.class, () -> batch.put(TestData.image("a", 0, 4), twice));
            assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("unit"), e.getMessage());
            final StoreException shortVector =
                    assertThrows(StoreException.class, () -> batch.put(TestData.image("b", 0, 4), new float[DIM - 1]));
            assertTrue(
                    shortVector.getMessage().contains("'b'")
                            && shortVector.getMessage().contains("dimension is 8"),
                    shortVector.getMessage());
            batch.commit();
            assertEquals(0, store.size(), "a refused put adds nothing");
        }
    }

    @Test
    void shouldRefuseToCommitABatchTwice() {
        try (FeatureStore store = open()) {
            final IngestBatch batch = store.newIngest().put(TestData.image("a", 0, 4), null);
            batch.commit();
            assertThrows(IllegalStateException.class, batch::commit);
            assertThrows(IllegalStateException.class, () -> batch.label("a", "1"));
            assertEquals(1, store.size());
        }
    }

    @Test
    void shouldRefuseUseAfterCloseWithoutCrashing() {
        final FeatureStore store = open();
        store.close();
        store.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.rowOf("a"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> store.newIngest().put(TestData.image("a", 0, 4), null).commit());
        assertThrows(IllegalStateException.class, store::loadBank);
    }
}
