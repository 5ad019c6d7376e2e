package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.InputImage;
import io.npid.deploy.client.TestImages;
import io.npid.deploy.process.SettingException;
import io.npid.deploy.report.ReportImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npid local on folders of image files: the split it uses, the model input it infers, the files it keeps. */
class LocalPhotoDataSetTest {

    @TempDir
    Path dir;

    private static LocalConfig config(
            final Path data, final int queries, final long seed, final Integer size, final Integer channels) {
        return new LocalConfig(
                data, false, 1, 1000, queries, "small", 8, 1, 0, false, null, seed, size, channels, Map.of());
    }

    private static List<String> ids(final LocalImages images) {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ids.add(images.id(i));
        }
        return ids;
    }

    @Test
    void shouldUseTheTrainAndTestFoldersAsGivenAndKeepTheImagesSize() throws IOException {
        final Path root = dir.resolve("photos");
        for (int i = 0; i < 4; i++) {
            TestImages.jpeg(root.resolve("train/cats/c" + i + ".jpg"), 40, 30, false, i % 2 == 0, 0xff8800, i);
            TestImages.png(
                    root.resolve("train/dogs/d" + i + ".png"), 40, 30, BufferedImage.TYPE_BYTE_GRAY, 0x404040, 10 + i);
        }
        TestImages.png(root.resolve("test/dogs/t0.png"), 40, 30, BufferedImage.TYPE_BYTE_GRAY, 0x404040, 20);
        TestImages.jpeg(root.resolve("test/cats/t1.jpg"), 40, 30, false, false, 0xff8800, 21);
        final StringWriter err = new StringWriter();

        final LocalDataSet data = LocalDataSet.load(config(root, 100, 1, null, null), new PrintWriter(err, true));

        assertEquals(8, data.train().size());
        assertEquals(2, data.test().size());
        assertEquals(List.of("cats", "dogs"), data.classNames());
        assertEquals(new ModelInput(40, 3, data.input().why()), data.input(), "one size under 64; some colour");
        assertTrue(ids(data.test()).containsAll(List.of("photos/test/dogs/t0.png", "photos/test/cats/t1.jpg")));
        for (int i = 0; i < data.test().size(); i++) {
            final InputImage input = data.test().input(i);
            assertEquals(input.id().contains("/dogs/") ? 1 : 0, data.test().label(i), input.id());
            assertTrue(input instanceof InputImage.File, "files stay files: " + input);
        }
        assertTrue(
                err.toString()
                        .contains("has train/ and test/ folders: 8 training images from train/, 2 test "
                                + "queries from test/"),
                err.toString());
    }

    @Test
    void shouldHoldOutASeededRandomTestSetAndSayHowMany() throws IOException {
        final Path root = dir.resolve("shots");
        for (int i = 0; i < 10; i++) {
            TestImages.png(root.resolve("red/r" + i + ".png"), 8 + i, 8, BufferedImage.TYPE_INT_RGB, 0xff0000, i);
            TestImages.png(root.resolve("blue/b" + i + ".png"), 8, 8 + i, BufferedImage.TYPE_INT_RGB, 0x0000ff, i);
        }
        final StringWriter err = new StringWriter();

        final PrintWriter quiet = new PrintWriter(new StringWriter());
        final LocalDataSet first = LocalDataSet.load(config(root, 3, 7, null, null), new PrintWriter(err, true));
        final LocalDataSet again = LocalDataSet.load(config(root, 3, 7, null, null), quiet);
        final LocalDataSet other = LocalDataSet.load(config(root, 100, 8, 24, 1), quiet);

        assertEquals(3, first.test().size());
        assertEquals(17, first.train().size());
        assertEquals(ids(first.test()), ids(again.test()), "the same seed holds out the same images");
        assertEquals(4, other.test().size(), "at most a fifth");
        assertTrue(err.toString().contains("3 of its 20 labelled images held out at random (seed 7)"), err.toString());
        assertEquals(32, first.input().size(), "several sizes");
        assertEquals(new ModelInput(24, 1, "set by --image-size/--channels"), other.input());
    }

    @Test
    void shouldRefuseAFolderWithoutClassesNamingTheOption() {
        final Path flat = dir.resolve("flat");
        TestImages.png(flat.resolve("a.png"), 8, 8, BufferedImage.TYPE_INT_RGB, 0, 1);

        final SettingException e = assertThrows(
                SettingException.class,
                () -> LocalDataSet.load(config(flat, 10, 1, null, null), new PrintWriter(new StringWriter())));

        assertTrue(
                e.getMessage()
                        .startsWith(
                                "Invalid value " + flat + " for configuration --data: has no class " + "sub-folders"),
                e.getMessage());
    }

    @Test
    void shouldDrawBoundedThumbnailsOfLargePhotosAndAGreyTileForWhatItCannotDecode() throws IOException {
        final Path root = dir.resolve("big");
        for (int i = 0; i < 4; i++) {
            TestImages.jpeg(root.resolve("a/" + i + ".jpg"), 1200, 900, false, false, 0x20a040, i);
        }
        TestImages.cmyk(root.resolve("b/cmyk.jpg"));
        final LocalDataSet data =
                LocalDataSet.load(config(root, 1, 3, null, null), new PrintWriter(new StringWriter()));

        for (LocalImages images : List.of(data.train(), data.test())) {
            for (int i = 0; i < images.size(); i++) {
                final ReportImage thumbnail = images.thumbnail(i);
                assertTrue(
                        Math.max(thumbnail.width(), thumbnail.height()) <= LocalFiles.THUMBNAIL_SIDE,
                        images.id(i) + ": " + thumbnail.width() + "x" + thumbnail.height());
                if (images.id(i).endsWith(".jpg") && !images.id(i).endsWith("cmyk.jpg")) {
                    assertEquals(64, thumbnail.width(), "1200x900 drawn 64x48");
                    assertEquals(48, thumbnail.height());
                }
            }
        }
    }
}
