package io.npid.deploy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {

    @TempDir
    Path dir;

    /** What a walk found: images by id with their class, and skipped files with their reason. */
    private record Walked(
            Map<String, String> classById,
            Map<String, Integer> labelById,
            Map<String, SkipReason> skipped,
            List<InputImage> images) {}

    private static Walked walk(final ImageSources sources, final Path... roots) throws IOException {
        final Walked walked = new Walked(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
        for (Path root : roots) {
            sources.walk(root, new ImageSources.Visitor() {
                @Override
                public void image(final InputImage image) {
                    walked.images().add(image);
                    walked.classById().put(image.id(), String.valueOf(image.className()));
                    walked.labelById().put(image.id(), image.label());
                }

                @Override
                public void skipped(final SkippedImageException skipped) {
                    walked.skipped().put(skipped.location(), skipped.reason());
                }
            });
        }
        return walked;
    }

    private static ImageSources sources(final String idPrefix, final long limit) {
        return new ImageSources(Datasets.Split.TRAIN, idPrefix, ImageEncoding.RAW, limit);
    }

    /** myimgs/ with two classes (one file two levels down), a loose image, a text file and a hidden folder. */
    private Path photoTree() {
        final Path root = dir.resolve("myimgs");
        TestImages.jpeg(root.resolve("cats/a.jpg"), 20, 10, false, false, 0xff8800, 1);
        TestImages.png(root.resolve("cats/2019/b.PNG"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0x808080, 2);
        TestImages.jpeg(root.resolve("dogs/c.jpeg"), 12, 12, true, true, 0x0000ff, 3);
        TestImages.png(root.resolve("loose.png"), 8, 8, BufferedImage.TYPE_INT_RGB, 0x00ff00, 4);
        TestImages.png(root.resolve(".thumbnails/t.png"), 8, 8, BufferedImage.TYPE_INT_RGB, 0x00ff00, 5);
        write(root.resolve("notes.txt"), "not an image");
        return root;
    }

    @Test
    void shouldLabelFilesByTheirClassFolderAndNameThemByTheirPathBelowTheGivenFolder() throws IOException {
        final Path root = photoTree();
        final ImageSources sources = sources(null, Long.MAX_VALUE);

        final SourceLayout layout = sources.layout(root);
        final Walked walked = walk(sources, root);

        assertEquals(SourceLayout.Kind.FOLDER, layout.kind());
        assertEquals(List.of("cats", "dogs"), layout.classNames());
        assertEquals(
                Map.of(
                        "myimgs/cats/a.jpg",
                        "cats",
                        "myimgs/cats/2019/b.PNG",
                        "cats",
                        "myimgs/dogs/c.jpeg",
                        "dogs",
                        "myimgs/loose.png",
                        "null"),
                walked.classById());
        assertEquals(
                Map.of(
                        "myimgs/cats/a.jpg",
                        0,
                        "myimgs/cats/2019/b.PNG",
                        0,
                        "myimgs/dogs/c.jpeg",
                        1,
                        "myimgs/loose.png",
                        -1),
                walked.labelById());
        assertEquals(
                Map.of(root.resolve("notes.txt").toString(), SkipReason.NOT_AN_IMAGE),
                walked.skipped(),
                "the text file is named; the hidden folder is not entered");
        assertEquals(4, sources.count(root));
        final InputImage.File a = (InputImage.File) walked.images().stream()
                .filter(i -> i.id().equals("myimgs/cats/a.jpg"))
                .findFirst()
                .orElseThrow();
        assertEquals(root.resolve("cats/a.jpg"), a.path(), "the file as the user can open it");
    }

    @Test
    void shouldGiveTheSameIdsWhateverFormOfTheFolderIsGiven() throws IOException {
        final Path root = photoTree();

        final Walked plain = walk(sources(null, Long.MAX_VALUE), root);
        final Walked dotted =
                walk(sources(null, Long.MAX_VALUE), root.resolve("cats").resolve(".."));

        assertEquals(plain.classById().keySet(), dotted.classById().keySet(), "myimgs/cats/.. is still myimgs");
    }

    @Test
    void shouldReadAFlatFolderUnlabelledAndASingleFileByItsName() throws IOException {
        final Path flat = dir.resolve("flat");
        TestImages.jpeg(flat.resolve("IMG_0001.JPG"), 16, 12, false, false, 0xffffff, 1);
        TestImages.png(flat.resolve("scan.png"), 16, 12, BufferedImage.TYPE_BYTE_GRAY, 0x404040, 2);
        final Path single = TestImages.png(dir.resolve("one.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0, 3);

        final Walked walked = walk(sources(null, Long.MAX_VALUE), flat, single);
        final Walked prefixed = walk(sources("cam1/", Long.MAX_VALUE), flat, single);

        assertEquals(
                Map.of("flat/IMG_0001.JPG", "null", "flat/scan.png", "null", "one.png", "null"), walked.classById());
        assertEquals(
                List.of("cam1/IMG_0001.JPG", "cam1/one.png", "cam1/scan.png"),
                List.copyOf(prefixed.classById().keySet()),
                "--id-prefix replaces the folder's name");
        assertEquals(SourceLayout.Kind.FOLDER, sources(null, 1).layout(flat).kind());
        assertTrue(sources(null, 1).layout(flat).classNames().isEmpty());
    }

    @Test
    void shouldReadTheChosenSplitOfATrainTestFolderWithClassNumbersSharedByBoth() throws IOException {
        final Path root = dir.resolve("photos");
        TestImages.png(root.resolve("train/cat/1.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0xff0000, 1);
        TestImages.png(root.resolve("train/dog/2.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0x00ff00, 2);
        TestImages.png(root.resolve("test/cow/3.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0x0000ff, 3);
        TestImages.png(root.resolve("test/dog/4.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0x00ff00, 4);

        final ImageSources train = sources(null, Long.MAX_VALUE);
        final ImageSources test = new ImageSources(Datasets.Split.TEST, null, ImageEncoding.RAW, Long.MAX_VALUE);

        assertEquals(SourceLayout.Kind.SPLIT_FOLDER, train.layout(root).kind());
        assertEquals(List.of("cat", "cow", "dog"), train.layout(root).classNames());
        assertEquals(
                Map.of("photos/train/cat/1.png", 0, "photos/train/dog/2.png", 2),
                walk(train, root).labelById());
        assertEquals(
                Map.of("photos/test/cow/3.png", 1, "photos/test/dog/4.png", 2),
                walk(test, root).labelById());
        assertTrue(
                train.layout(root).describe().contains("reading train/ (--split test reads the other)"),
                train.layout(root).describe());
    }

    @Test
    void shouldReadIdxDataSetsAsGivenAndWhereTheWalkMeetsThem() throws IOException {
        final LabelledImages shapes = Datasets.synthetic(5, 3);
        IdxFiles.write(dir.resolve("Shapes"), "train", shapes);
        IdxFiles.write(dir.resolve("all/shapes"), "train", shapes);
        TestImages.png(dir.resolve("all/cats/a.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 0, 1);

        final Walked given = walk(sources(null, Long.MAX_VALUE), dir.resolve("Shapes"));
        final Walked met = walk(sources(null, Long.MAX_VALUE), dir.resolve("all"));

        assertEquals(
                List.of(
                        "shapes-train-00000",
                        "shapes-train-00001",
                        "shapes-train-00002",
                        "shapes-train-00003",
                        "shapes-train-00004"),
                List.copyOf(given.labelById().keySet()),
                "a data set keeps its ids of old: <folder name>-<split>-<index>");
        for (int i = 0; i < 5; i++) {
            final InputImage image = given.images().get(i);
            assertEquals(shapes.labels()[i], image.label());
            // IDX files carry numbers only; the loader names them (digits here, Fashion-MNIST's in a fashion folder)
            assertEquals(Integer.toString(shapes.labels()[i]), image.className());
        }
        assertTrue(
                met.labelById().containsKey("all/shapes-train-00004"),
                met.labelById().toString());
        assertEquals(
                List.of("cats"),
                sources(null, 1).layout(dir.resolve("all")).classNames(),
                "a data set folder is not a class");
        assertEquals(6, sources(null, Long.MAX_VALUE).count(dir.resolve("all")));
    }

    @Test
    void shouldStopAtTheLimitAcrossPaths() throws IOException {
        final Path root = photoTree();
        final ImageSources sources = sources(null, 3);

        final Walked walked = walk(sources, root, root);

        assertEquals(3, walked.images().size());
        assertEquals(3, sources.count(root));
    }

    @Test
    void shouldNameAPathThatDoesNotExist() {
        final NoSuchFileException e =
                assertThrows(NoSuchFileException.class, () -> sources(null, 1).layout(dir.resolve("nothing-here")));
        assertTrue(e.getMessage().contains("nothing-here"));
    }

    @Test
    void shouldHandOutAWalkThroughAnIteratorAndEndIt() throws IOException {
        final Path root = photoTree();
        final List<String> ids = new ArrayList<>();
        int skipped = 0;

        try (ImageWalk walk = sources(null, Long.MAX_VALUE).walk(List.of(root))) {
            while (walk.hasNext()) {
                final ImageWalk.Found found = walk.next();
                if (found.image() != null) {
                    ids.add(found.image().id());
                } else {
                    skipped++;
                }
            }
            assertFalse(walk.hasNext());
        }

        assertEquals(4, ids.size());
        assertEquals(1, skipped);
    }

    private static void write(final Path file, final String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
