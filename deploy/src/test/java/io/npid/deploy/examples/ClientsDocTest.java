package io.npid.deploy.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.DeadLetter;
import io.npid.schemas.event.FeatureEvent;
import io.npid.schemas.event.ImageEvent;
import io.npid.schemas.event.LabelEvent;
import io.npid.schemas.event.ModelCheckpoint;
import io.npid.schemas.event.QueryEvent;
import io.npid.schemas.event.QueryVector;
import io.npid.schemas.serde.EventSerde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * docs/clients.md cannot drift from the code: its two clients are the files the tests run, and its fingerprints are
 * those of the schemas npid writes with.
 */
class ClientsDocTest {
    private static final Path DOC = Path.of("..", "docs", "clients.md");

    @Test
    void shouldShowTheClientsTheTestsRun() throws IOException {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        assertEquals(
                read(Path.of("src", "test", "java", "io", "npid", "deploy", "examples", "JavaClient.java")),
                block(doc, "```java\n"),
                "docs/clients.md must show JavaClient.java as it is");
        assertEquals(
                read(ClientExamplesIT.PYTHON_CLIENT),
                block(doc, "```python\n"),
                "docs/clients.md must show docs/examples/npid_client.py as it is");
    }

    @Test
    void shouldListTheFingerprintsOfTheCurrentSchemas() throws IOException {
        final String doc = Files.readString(DOC, StandardCharsets.UTF_8);

        for (Class<? extends SpecificRecord> type : List.of(
                ImageEvent.class,
                LabelEvent.class,
                FeatureEvent.class,
                ModelCheckpoint.class,
                QueryEvent.class,
                QueryVector.class,
                ClassificationResult.class,
                DeadLetter.class)) {
            final long fingerprint = EventSerde.of(type).fingerprint();
            final StringBuilder header = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                header.append(i == 0 ? "" : " ")
                        .append(String.format(Locale.ROOT, "%02x", (fingerprint >>> 8 * i) & 0xff));
            }
            final String row = "| `" + type.getSimpleName() + "` | `0x"
                    + String.format(Locale.ROOT, "%016x", fingerprint) + "` | `" + header + "` |";
            assertTrue(doc.contains(row), "docs/clients.md should have the row " + row);
        }
    }

    private static String read(final Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
    }

    /** The text of the first fenced block that opens with {@code fence}. */
    private static String block(final String doc, final String fence) {
        final int start = doc.indexOf(fence);
        assertTrue(start >= 0, "no " + fence.strip() + " block");
        final int end = doc.indexOf("\n```", start + fence.length());
        return doc.substring(start + fence.length(), end).stripTrailing();
    }
}
