package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.deploy.client.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit code 3, the file named, for paths that cannot give an image (docs/operating.md): checked before Kafka is asked
 * anything, so these runs point at a port where nothing listens and still end with 3, not 4.
 */
class InputFilesTest {
    private static final String NOWHERE = "--bootstrap-servers=127.0.0.1:9";

    @TempDir
    Path dir;

    @Test
    void shouldNameAnEmptyFolderATextFileAndAFakeImage() throws IOException {
        final Path empty = Files.createDirectories(dir.resolve("empty"));
        final Path notes = Files.writeString(dir.resolve("notes.txt"), "not an image\n");
        final Path fake = Files.writeString(dir.resolve("fake.png"), "a text file under an image name\n");
        final Path blank = Files.write(dir.resolve("blank.jpg"), new byte[0]);
        final Path onlyText = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(onlyText.resolve("readme.txt"), "no images here\n");

        for (String command : List.of("query", "ingest")) {
            for (Path path : List.of(empty, notes, fake, blank, onlyText)) {
                final CliResult result = CliResult.run(command, path.toString(), NOWHERE);

                assertEquals(ExitCodes.INPUT, result.exitCode(), command + " " + path + ": " + result);
                assertTrue(
                        result.err().contains("npid: nothing sent; " + command + " needs PNG or JPEG files"),
                        result.toString());
                assertTrue(result.err().contains(path + ": "), "names the path: " + result);
            }
        }
        final CliResult text = CliResult.run("query", notes.toString(), NOWHERE);
        assertTrue(
                text.err()
                        .contains(
                                notes + ": not a PNG or JPEG file (its name does not end in .png, .jpg or " + ".jpeg)"),
                text.toString());
        final CliResult folder = CliResult.run("query", empty.toString(), NOWHERE);
        assertTrue(folder.err().contains(empty + ": no PNG or JPEG file in it"), folder.toString());
        final CliResult faked = CliResult.run("query", fake.toString(), NOWHERE);
        assertTrue(faked.err().contains(fake + ": not a PNG or JPEG image (its bytes are neither)"), faked.toString());
    }

    @Test
    void shouldNameTheBadPathAmongGoodOnesAndSendNothing() {
        final Path good = TestImages.png(dir.resolve("good.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0x404040, 2);
        final Path missing = dir.resolve("missing.png");

        final CliResult mixed =
                CliResult.run("query", good.toString(), dir.resolve("notes.txt").toString(), NOWHERE);
        final CliResult absent = CliResult.run("ingest", good.toString(), missing.toString(), NOWHERE);

        assertEquals(ExitCodes.INPUT, mixed.exitCode(), mixed.toString());
        assertTrue(mixed.err().contains("No such file or directory: " + dir.resolve("notes.txt")), mixed.toString());
        assertEquals(ExitCodes.INPUT, absent.exitCode(), absent.toString());
        assertTrue(absent.err().contains("No such file or directory: " + missing), absent.toString());
    }

    @Test
    void shouldGoOnToKafkaWhenEveryPathHoldsAnImage() {
        final Path good = TestImages.png(dir.resolve("good.png"), 8, 8, BufferedImage.TYPE_BYTE_GRAY, 0x404040, 2);

        final CliResult result = CliResult.run("query", good.toString(), NOWHERE);

        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
    }
}
