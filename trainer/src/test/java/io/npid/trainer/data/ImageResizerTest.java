package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ImageResizerTest {

    @Test
    void shouldShrinkAPhotoToTheBoundKeepingItsAspectAndColour() {
        final int w = 4000;
        final int h = 3000;
        final byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 200;
            px[i + 1] = (byte) 100;
            px[i + 2] = (byte) 30;
        }
        final DecodedImage small = ImageResizer.shrinkToShorterSide(new DecodedImage(w, h, 3, px), 36);
        assertEquals(48, small.width());
        assertEquals(36, small.height());
        assertEquals(3, small.channels());
        for (int y = 0; y < small.height(); y++) {
            for (int x = 0; x < small.width(); x++) {
                assertEquals(200, small.value(y, x, 0));
                assertEquals(100, small.value(y, x, 1));
                assertEquals(30, small.value(y, x, 2));
            }
        }
    }

    @Test
    void shouldAverageAreasSoThatFinePatternsDoNotAlias() {
        // a one-pixel checkerboard of 0 and 255: every 2x2 area averages to 127.5; bilinear sampling would pick one
        final int side = 64;
        final byte[] px = new byte[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                px[y * side + x] = (byte) ((x + y) % 2 == 0 ? 255 : 0);
            }
        }
        final DecodedImage half = ImageResizer.shrinkToShorterSide(new DecodedImage(side, side, 1, px), 32);
        assertEquals(32, half.width());
        for (final byte b : half.pixels()) {
            assertEquals(128, b & 0xFF);
        }
        // a non-integer factor (64 -> 24) weighs partial pixels: a left half of 255 and right half of 0
        final byte[] halves = new byte[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side / 2; x++) {
                halves[y * side + x] = (byte) 255;
            }
        }
        final DecodedImage shrunk = ImageResizer.shrinkToShorterSide(new DecodedImage(side, side, 1, halves), 24);
        assertEquals(255, shrunk.value(5, 11, 0));
        assertEquals(0, shrunk.value(5, 12, 0));
        final DecodedImage odd = ImageResizer.shrinkToShorterSide(new DecodedImage(side, side, 1, halves), 21);
        // output column 10 covers input columns 30.48..33.52: 1.52 of 3.05 are white -> 127
        assertEquals(127, odd.value(3, 10, 0), 1);
    }

    @Test
    void shouldNeverEnlargeAnImage() {
        final DecodedImage image = new DecodedImage(28, 28, 1, new byte[28 * 28]);
        assertSame(image, ImageResizer.shrinkToShorterSide(image, 32));
        assertSame(image, ImageResizer.shrinkToShorterSide(image, 28));
        final DecodedImage tall = new DecodedImage(30, 90, 1, new byte[30 * 90]);
        final DecodedImage bounded = ImageResizer.shrinkToShorterSide(tall, 20);
        assertEquals(20, bounded.width());
        assertEquals(60, bounded.height());
    }
}
