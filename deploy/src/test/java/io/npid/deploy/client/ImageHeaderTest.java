package io.npid.deploy.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.npid.schemas.event.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHeaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadSizeAndColourOfPngsFromTheirHeader() throws IOException {
        assertEquals(
                new ImageHeader(ImageEncoding.PNG, 30, 20, false),
                ImageHeader.read(
                        TestImages.png(dir.resolve("grey.png"), 30, 20, BufferedImage.TYPE_BYTE_GRAY, 0x808080, 1)));
        assertEquals(
                new ImageHeader(ImageEncoding.PNG, 7, 9, true),
                ImageHeader.read(
                        TestImages.png(dir.resolve("rgb.png"), 7, 9, BufferedImage.TYPE_INT_RGB, 0xff0000, 2)));
        assertEquals(
                new ImageHeader(ImageEncoding.PNG, 5, 5, true),
                ImageHeader.read(
                        TestImages.png(dir.resolve("rgba.png"), 5, 5, BufferedImage.TYPE_INT_ARGB, 0x00ff00, 3)));
    }

    @Test
    void shouldReadSizeAndColourOfJpegsPastTheirOtherSegments() throws IOException {
        assertEquals(
                new ImageHeader(ImageEncoding.JPEG, 64, 48, false),
                ImageHeader.read(TestImages.jpeg(dir.resolve("grey.jpg"), 64, 48, true, false, 0x808080, 1)));
        assertEquals(
                new ImageHeader(ImageEncoding.JPEG, 640, 480, true),
                ImageHeader.read(TestImages.jpeg(dir.resolve("progressive.jpg"), 640, 480, false, true, 0x2040ff, 2)));
        assertEquals(
                new ImageHeader(ImageEncoding.JPEG, 48, 40, true),
                ImageHeader.read(TestImages.cmyk(dir.resolve("cmyk.jpg"))),
                "4 components: colour");
    }

    @Test
    void shouldRefuseWhatIsNoImage() throws IOException {
        final Path text = Files.writeString(dir.resolve("a.png"), "text");
        final Path cut = dir.resolve("cut.jpg");
        Files.write(cut, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16});

        assertThrows(IOException.class, () -> ImageHeader.read(text));
        assertThrows(IOException.class, () -> ImageHeader.read(cut));
    }
}
