package io.npid.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CIFAR-10 folder without its test batch (the shared subset): the last training batch is held out. */
class LocalCifarSubsetTest {

    @TempDir
    Path dir;

    /** Writes a CIFAR-10 binary batch of {@code n} records whose label byte is {@code label}. */
    private void batch(final int number, final int n, final int label) throws IOException {
        final byte[] bytes = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            bytes[i * 3073] = (byte) label;
        }
        Files.write(dir.resolve("data_batch_" + number + ".bin"), bytes);
    }

    @Test
    void shouldHoldTheLastBatchOutAndSaySo() throws IOException {
        batch(1, 3, 0);
        batch(2, 4, 1);
        batch(5, 2, 9);
        final StringWriter err = new StringWriter();

        final LocalDataSet data = LocalDataSet.load(
                new LocalConfig(dir, false, 1, 1000, 1000, "small", 8, 1, 0, false, null, 1, null, null, Map.of()),
                new PrintWriter(err, true));

        assertEquals(7, data.train().size(), "batches 1 and 2");
        assertEquals(2, data.test().size(), "batch 5");
        assertEquals("truck", data.test().input(0).className());
        assertEquals("automobile", data.train().input(3).className());
        assertTrue(
                err.toString()
                        .contains("has no test_batch.bin: data_batch_5 held out as test queries (2), "
                                + "batches [1, 2] for training (7)"),
                err.toString());
    }
}
