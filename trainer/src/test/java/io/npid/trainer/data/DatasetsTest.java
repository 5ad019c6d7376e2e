package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @Test
    void shouldReadGzippedIdxFilesWithFashionNames(@TempDir final Path tmp) throws IOException {
        final Path dir = Files.createDirectories(tmp.resolve("fashion-mnist"));
        try (DataOutputStream out = new DataOutputStream(
                new GZIPOutputStream(Files.newOutputStream(dir.resolve("t10k-images-idx3-ubyte.gz"))))) {
            out.writeInt(0x803);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        }
        try (DataOutputStream out =
                new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")))) {
            out.writeInt(0x801);
            out.writeInt(2);
            out.write(new byte[] {9, 0});
        }
        final LabelledImages data = Datasets.idx(dir, Datasets.Split.TEST);
        assertEquals(2, data.size());
        assertEquals(3, data.images().get(0).width());
        assertEquals(2, data.images().get(0).height());
        assertArrayEquals(new byte[] {7, 8, 9, 10, 11, 12}, data.images().get(1).pixels());
        assertArrayEquals(new int[] {9, 0}, data.labels());
        assertEquals("Ankle boot", data.classNames()[9]);
        final IOException e = assertThrows(IOException.class, () -> Datasets.idx(dir, Datasets.Split.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void shouldReadCifarBinaryBatchesAsHwc(@TempDir final Path dir) throws IOException {
        final byte[] record = new byte[1 + 3072];
        record[0] = 7;
        record[1] = 10;
        record[1 + 1024] = 20;
        record[1 + 2048] = 30;
        try (OutputStream out = Files.newOutputStream(dir.resolve("test_batch.bin"))) {
            out.write(record);
            out.write(record);
        }
        final LabelledImages data = Datasets.cifar10(dir, Datasets.Split.TEST);
        assertEquals(2, data.size());
        assertEquals(7, data.labels()[1]);
        final DecodedImage image = data.images().get(0);
        assertEquals(10, image.value(0, 0, 0));
        assertEquals(20, image.value(0, 0, 1));
        assertEquals(30, image.value(0, 0, 2));
        assertEquals("horse", data.classNames()[7]);
    }

    @Test
    void shouldReadAFolderPerClassAndSkipBrokenFiles(@TempDir final Path dir) throws IOException {
        final BufferedImage image = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
        Files.createDirectories(dir.resolve("cats"));
        Files.createDirectories(dir.resolve("dogs"));
        Files.write(dir.resolve("cats/a.png"), ImageDecoderTest.encode(image, "png"));
        Files.write(dir.resolve("dogs/b.jpg"), ImageDecoderTest.encode(image, "jpg"));
        Files.write(dir.resolve("dogs/broken.png"), new byte[] {1, 2, 3});
        final LabelledImages data = Datasets.folder(dir);
        assertEquals(2, data.size());
        assertArrayEquals(new String[] {"cats", "dogs"}, data.classNames());
        assertArrayEquals(new int[] {0, 1}, data.labels());
    }

    @Test
    void shouldLoadTheInstalledFashionMnist() throws IOException {
        // CI installs dataset-fashion-mnist and must run this; elsewhere it runs where the package is present.
        final boolean ci = "true".equals(System.getenv("CI"));
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ci || Files.isDirectory(Datasets.FASHION_MNIST_DIR), "dataset-fashion-mnist is not installed");
        final LabelledImages train = Datasets.idx(Datasets.FASHION_MNIST_DIR, Datasets.Split.TRAIN);
        final LabelledImages test = Datasets.idx(Datasets.FASHION_MNIST_DIR, Datasets.Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.images().get(0).width());
        final int[] perClass = new int[10];
        for (final int label : test.labels()) {
            perClass[label]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        assertEquals("Ankle boot", test.classNames()[test.labels()[0]], "the first test image is an ankle boot");
    }

    @Test
    void shouldGenerateTheSameSyntheticImagesForTheSameSeed() {
        final LabelledImages a = Datasets.synthetic(30, 4);
        final LabelledImages b = Datasets.synthetic(30, 4);
        final LabelledImages c = Datasets.synthetic(30, 5);
        assertArrayEquals(a.images().get(17).pixels(), b.images().get(17).pixels());
        assertNotEquals(
                java.util.Arrays.toString(a.images().get(17).pixels()),
                java.util.Arrays.toString(c.images().get(17).pixels()));
        assertEquals(7, a.labels()[17]);
    }
}
