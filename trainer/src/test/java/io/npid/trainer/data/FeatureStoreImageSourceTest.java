package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npid.store.FeatureStore;
import io.npid.store.StoreOptions;
import io.npid.store.StoredImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreImageSourceTest {

    @Test
    void shouldReadStoredImagesByBankRow(@TempDir final Path dir) {
        final byte[] grey = {1, 2, 3, 4};
        final byte[] rgb = new byte[2 * 1 * 3];
        rgb[5] = 9;
        try (FeatureStore store = FeatureStore.open(dir, StoreOptions.defaults(4))) {
            final int[] rows = store.newIngest()
                    .put(new StoredImage("a", grey, 2, 2, 1, 0L), null)
                    .put(new StoredImage("b", rgb, 2, 1, 3, 0L), null)
                    .commit();
            final List<DecodedImage> images =
                    new FeatureStoreImageSource(store).images(new int[] {rows[1], rows[0], rows[1]});
            assertEquals(3, images.size());
            assertEquals(3, images.get(0).channels());
            assertEquals(9, images.get(0).value(0, 1, 2));
            assertArrayEquals(grey, images.get(1).pixels());
        }
    }
}
