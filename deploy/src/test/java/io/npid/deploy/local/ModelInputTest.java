package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.npid.deploy.client.ImageHeader;
import io.npid.schemas.event.ImageEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelInputTest {

    private static ImageHeader png(final int width, final int height, final boolean colour) {
        return new ImageHeader(ImageEncoding.PNG, width, height, colour);
    }

    @Test
    void shouldKeepASmallCommonSizeAndResizeEverythingElseTo32() {
        assertEquals(
                28,
                ModelInput.infer(List.of(png(28, 28, false), png(28, 28, false)))
                        .size());
        assertEquals(
                64,
                ModelInput.infer(List.of(png(64, 48, true), png(64, 48, true))).size(),
                "the longer side");
        assertEquals(
                32,
                ModelInput.infer(List.of(png(65, 65, true), png(65, 65, true))).size(),
                "above 64");
        assertEquals(
                32,
                ModelInput.infer(List.of(png(28, 28, true), png(32, 32, true))).size(),
                "mixed sizes");
        assertEquals(32, ModelInput.infer(List.of(png(4000, 3000, true))).size());
    }

    @Test
    void shouldUseThreeChannelsWhenAnyImageHasColour() {
        assertEquals(
                1, ModelInput.infer(List.of(png(8, 8, false), png(8, 8, false))).channels());
        assertEquals(
                3, ModelInput.infer(List.of(png(8, 8, false), png(8, 8, true))).channels());
    }

    @Test
    void shouldLetTheOptionsWin() {
        final ModelInput inferred = ModelInput.infer(List.of(png(28, 28, false)));

        assertEquals(new ModelInput(28, 1, inferred.why()), inferred.with(null, null));
        assertEquals(48, inferred.with(48, null).size());
        assertEquals(1, inferred.with(48, null).channels());
        assertEquals(3, inferred.with(null, 3).channels());
    }
}
