package io.npid.deploy.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.Image;
import io.npid.schemas.event.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputImageTest {

    @TempDir
    Path dir;

    private static byte[] bytes(final Image image) {
        final ByteBuffer data = image.getData().duplicate();
        final byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    @Test
    void shouldSendAFileAsItIsWithTheEncodingItsBytesShow() throws Exception {
        final Path jpeg = TestImages.jpeg(dir.resolve("a.jpg"), 40, 30, false, true, 0x336699, 1);
        // a PNG named .jpg: the bytes decide
        final Path misnamed = TestImages.png(dir.resolve("b.jpg"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0, 2);

        final Image a = new InputImage.File("x/a.jpg", jpeg, -1, null).read(1 << 20);
        final Image b = new InputImage.File("x/b.jpg", misnamed, -1, null).read(1 << 20);

        assertEquals(ImageEncoding.JPEG, a.getEncoding());
        assertArrayEquals(Files.readAllBytes(jpeg), bytes(a), "not decoded or re-encoded");
        assertEquals(ImageEncoding.PNG, b.getEncoding());
    }

    @Test
    void shouldRefuseAFileOverTheLimitNamingItsSizeAndTheLimit() throws IOException {
        final Path big = dir.resolve("big.png");
        Files.write(big, new byte[1001]);

        final SkippedImageException e = assertThrows(
                SkippedImageException.class, () -> new InputImage.File("x/big.png", big, -1, null).read(1000));

        assertEquals(SkipReason.TOO_LARGE, e.reason());
        assertEquals(big + ": too large (1,001 bytes, over the 1,000-byte limit npid.image.max.bytes)", e.getMessage());
    }

    @Test
    void shouldSayWhatIsNotAnImageAndWhatCannotBeRead() throws IOException {
        final Path text = dir.resolve("notes.jpg");
        Files.writeString(text, "hello");
        final Path empty = Files.createFile(dir.resolve("empty.png"));

        final SkippedImageException notImage =
                assertThrows(SkippedImageException.class, () -> new InputImage.File("x", text, -1, null).read(1000));
        final SkippedImageException emptyFile =
                assertThrows(SkippedImageException.class, () -> new InputImage.File("x", empty, -1, null).read(1000));
        final SkippedImageException missing = assertThrows(
                SkippedImageException.class,
                () -> new InputImage.File("x", dir.resolve("gone.png"), -1, null).read(1000));

        assertEquals(SkipReason.NOT_AN_IMAGE, notImage.reason());
        assertTrue(notImage.getMessage().contains("neither PNG nor JPEG"), notImage.getMessage());
        assertEquals(SkipReason.NOT_AN_IMAGE, emptyFile.reason());
        assertEquals(SkipReason.UNREADABLE, missing.reason());
        assertTrue(missing.getMessage().startsWith(dir.resolve("gone.png").toString()), missing.getMessage());
    }
}
