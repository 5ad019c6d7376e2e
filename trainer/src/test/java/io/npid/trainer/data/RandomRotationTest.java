package io.npid.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.trainer.train.TrainerConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Random rotation of views (npid.rotate.degrees). */
class RandomRotationTest {
    private static final int SIDE = 21;
    private static final int CENTRE = SIDE / 2;

    /** A plane with one bright pixel {@code radius} pixels right of the centre. */
    private static float[][] dotRightOfCentre(final int radius) {
        final float[][] planes = new float[1][SIDE * SIDE];
        planes[0][CENTRE * SIDE + CENTRE + radius] = 1f;
        return planes;
    }

    @Test
    void shouldTurnTheViewAboutItsCentreByTheDrawnAngleCounterClockwise() {
        final RandomRotation rotation = new RandomRotation(90, SIDE);
        for (long seed = 1; seed <= 20; seed++) {
            final double angle = Math.toRadians(new SplitMix64(seed).uniform(-90, 90));
            final float[][] planes = dotRightOfCentre(6);
            rotation.rotate(new SplitMix64(seed), planes, 1);
            double mass = 0;
            double cx = 0;
            double cy = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    final float v = planes[0][y * SIDE + x];
                    assertTrue(v >= 0f && v <= 1f, "bilinear stays within the input's range: " + v);
                    mass += v;
                    cx += v * x;
                    cy += v * y;
                }
            }
            // counter-clockwise on screen: a dot right of the centre moves up (smaller y) for a positive angle
            assertEquals(CENTRE + 6 * Math.cos(angle), cx / mass, 0.35, "x of the dot, seed " + seed);
            assertEquals(CENTRE - 6 * Math.sin(angle), cy / mass, 0.35, "y of the dot, seed " + seed);
            assertEquals(1.0, mass, 0.35, "a turned dot keeps about its brightness, seed " + seed);
        }
    }

    @Test
    void shouldFillWhatComesFromOutsideTheViewWithBlack() {
        final RandomRotation rotation = new RandomRotation(45, SIDE);
        final SplitMix64 rng = new SplitMix64(11);
        int turnedCorners = 0;
        for (int i = 0; i < 50; i++) {
            final float[][] planes = new float[1][SIDE * SIDE];
            java.util.Arrays.fill(planes[0], 0.8f);
            rotation.rotate(rng, planes, 1);
            assertEquals(0.8f, planes[0][CENTRE * SIDE + CENTRE], 1e-5f, "the centre stays where it is");
            turnedCorners += planes[0][0] < 0.8f ? 1 : 0;
        }
        assertTrue(turnedCorners >= 45, "corners that came from outside the view: " + turnedCorners + " of 50");
    }

    @Test
    void shouldRotateEveryChannelOfAnRgbViewAlike() {
        final AugmentationSpec spec =
                new AugmentationSpec(SIDE, 3, 1, 1, false, 0, 0, new float[3], new float[] {1, 1, 1}, 0, 0, 30, 0);
        final byte[] px = new byte[SIDE * SIDE * 3];
        for (int i = 0; i < SIDE * SIDE; i++) {
            final byte v = (byte) ((i * 37) % 251);
            px[3 * i] = v;
            px[3 * i + 1] = v;
            px[3 * i + 2] = v;
        }
        final float[] out = new float[3 * SIDE * SIDE];
        new Augmenter(spec).augment(new DecodedImage(SIDE, SIDE, 3, px), new SplitMix64(5), out, 0);
        final int n = SIDE * SIDE;
        for (int i = 0; i < n; i++) {
            assertEquals(out[i], out[n + i], 0f, "green at " + i);
            assertEquals(out[i], out[2 * n + i], 0f, "blue at " + i);
        }
    }

    @Test
    void shouldBeOffByDefaultAndTakeTheLimitFromTheConfig() {
        assertEquals(0.0, TrainerConfig.defaults().augmentation(28, 1).rotateDegrees());
        final AugmentationSpec configured = TrainerConfig.defaults()
                .with(Map.of(TrainerConfig.ROTATE_DEGREES_CONFIG, "10"))
                .augmentation(28, 1);
        assertEquals(10.0, configured.rotateDegrees());
        final ConfigException error = assertThrows(
                ConfigException.class,
                () -> TrainerConfig.defaults().with(Map.of(TrainerConfig.ROTATE_DEGREES_CONFIG, "200")));
        assertTrue(error.getMessage().contains(TrainerConfig.ROTATE_DEGREES_CONFIG), error.getMessage());
    }
}
