package io.npid.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.schemas.config.SecretMasker;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {
    @TempDir
    Path root;

    private static CheckpointMeta meta(final long version, final long step) {
        return new CheckpointMeta(
                CheckpointMeta.FORMAT_VERSION,
                "npid",
                version,
                step,
                step / 10,
                step / 10,
                3,
                40,
                42,
                Map.of("images-0", 17L, "labels-0", 3L),
                1000L + version,
                Map.of("backbone", "small"),
                Map.of(),
                null);
    }

    private static CheckpointDirectory.Content files(final String marker) {
        return (learnerDir, storeDir) -> {
            Files.writeString(learnerDir.resolve("params"), marker);
            Files.createDirectories(storeDir);
            Files.writeString(storeDir.resolve("CURRENT"), marker);
        };
    }

    @Test
    void shouldHaveNoLatestBeforeTheFirstCheckpoint() {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        assertTrue(dir.latest().isEmpty());
        assertEquals(List.of(), dir.versions());
    }

    @Test
    void shouldRoundTripMetadataAndContentThroughLatest() throws IOException {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        dir.write(meta(1, 100), files("one"));
        final CheckpointDirectory.Checkpoint latest =
                new CheckpointDirectory(root, 2).latest().orElseThrow();
        assertEquals(meta(1, 100), latest.meta());
        assertEquals("one", Files.readString(latest.learnerDir().resolve("params")));
        assertEquals("one", Files.readString(latest.storeDir().resolve("CURRENT")));
    }

    @Test
    void shouldKeepOnlyTheNewestVersions() throws IOException {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        for (int v = 1; v <= 5; v++) {
            dir.write(meta(v, v * 100L), files("v" + v));
        }
        assertEquals(List.of(4L, 5L), dir.versions());
        assertEquals(5, dir.latest().orElseThrow().meta().version());
    }

    @Test
    void shouldKeepThePreviousLatestWhenWritingFails() throws IOException {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        dir.write(meta(1, 100), files("one"));
        assertThrows(
                IOException.class,
                () -> dir.write(meta(2, 200), (learner, store) -> {
                    Files.writeString(learner.resolve("params"), "half");
                    throw new IOException("disk full");
                }));
        assertEquals(1, dir.latest().orElseThrow().meta().version());
        // The next write cleans the staging leftovers and succeeds with the same version.
        dir.write(meta(2, 200), files("two"));
        assertEquals(2, dir.latest().orElseThrow().meta().version());
        try (var entries = Files.list(root)) {
            assertFalse(
                    entries.anyMatch(p -> p.getFileName().toString().startsWith(".staging")),
                    "staging directories must be removed after a successful write");
        }
    }

    @Test
    void shouldReplaceAnOrphanVersionLeftByACrashBeforeThePointerFlip() throws IOException {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        dir.write(meta(1, 100), files("one"));
        // A crash after the rename but before LATEST moved leaves a complete-looking v2 that is not current.
        final Path orphan = root.resolve(CheckpointDirectory.versionName(2));
        Files.createDirectories(orphan.resolve("learner"));
        Files.writeString(orphan.resolve(CheckpointDirectory.META_FILE), "{ broken", StandardCharsets.UTF_8);
        assertEquals(1, dir.latest().orElseThrow().meta().version());
        dir.write(meta(2, 250), files("two"));
        assertEquals(250, dir.latest().orElseThrow().meta().step());
    }

    @Test
    void shouldRefuseAVersionThatDoesNotGoUp() throws IOException {
        final CheckpointDirectory dir = new CheckpointDirectory(root, 2);
        dir.write(meta(3, 100), files("three"));
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> dir.write(meta(3, 200), files("again")));
        assertTrue(e.getMessage().contains("latest version 3"), e.getMessage());
    }

    @Test
    void shouldNameTheMissingDirectoryWhenThePointerIsDangling() throws IOException {
        Files.writeString(root.resolve(CheckpointDirectory.LATEST), "v-000000000009\n");
        final IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new CheckpointDirectory(root, 2).latest());
        assertTrue(e.getMessage().contains("v-000000000009"), e.getMessage());
    }

    @Test
    void shouldCarryTheEffectiveSettingsWithoutSecrets() throws IOException {
        final Map<String, Object> given = new HashMap<>(Map.of(
                "bootstrap.servers",
                "localhost:9092",
                StreamingTrainerConfig.DATA_DIR_CONFIG,
                root.resolve("data").toString(),
                "npid.low.dim",
                "64",
                "sasl.jaas.config",
                "PlainLoginModule required username=\"u\" password=\"s3cret\";",
                "ssl.keystore.password",
                "k3ystore"));
        final Map<String, String> settings = new StreamingTrainerConfig(given).effectiveSettings();
        final CheckpointMeta m = meta(1, 100);
        final CheckpointMeta withSettings = new CheckpointMeta(
                m.formatVersion(),
                m.modelName(),
                m.version(),
                m.step(),
                m.epoch(),
                m.batchEpoch(),
                m.batchCursor(),
                m.batchEpochSize(),
                m.rows(),
                m.offsets(),
                m.timestampMs(),
                m.encoderConfig(),
                settings,
                null);
        final CheckpointDirectory dir = new CheckpointDirectory(root.resolve("ckpt"), 2);
        dir.write(withSettings, files("one"));

        final CheckpointMeta read = new CheckpointDirectory(root.resolve("ckpt"), 2)
                .latest()
                .orElseThrow()
                .meta();
        assertEquals(settings, read.settings());
        // given, declared with defaults, learner and store keys: the run can be traced to all of them
        assertEquals("64", read.settings().get("npid.low.dim"));
        assertEquals("64", read.settings().get("store.dimension"));
        assertEquals("localhost:9092", read.settings().get("bootstrap.servers"));
        assertEquals("0", read.settings().get(StreamingTrainerConfig.EPOCHS_CONFIG));
        assertEquals("64", read.settings().get("npid.batch.size"));
        assertEquals(SecretMasker.HIDDEN, read.settings().get("sasl.jaas.config"));
        assertEquals(SecretMasker.HIDDEN, read.settings().get("ssl.keystore.password"));
        final String json = Files.readString(dir.latest().orElseThrow().dir().resolve(CheckpointDirectory.META_FILE));
        assertFalse(json.contains("s3cret") || json.contains("k3ystore"), json);
    }

    @Test
    void shouldReadACheckpointWrittenBeforeSettingsWereRecorded() throws IOException {
        final Path version = root.resolve(CheckpointDirectory.versionName(1));
        Files.createDirectories(version.resolve(CheckpointDirectory.LEARNER_DIR));
        Files.writeString(version.resolve(CheckpointDirectory.META_FILE), """
                {"formatVersion":1,"modelName":"npid","version":1,"step":100,"epoch":10,"batchEpoch":10,
                 "batchCursor":3,"batchEpochSize":40,"rows":42,"offsets":{"images-0":17,"labels-0":3},
                 "timestampMs":1001,"encoderConfig":{"backbone":"small"}}
                """);
        Files.writeString(root.resolve(CheckpointDirectory.LATEST), CheckpointDirectory.versionName(1) + "\n");
        final CheckpointMeta read =
                new CheckpointDirectory(root, 2).latest().orElseThrow().meta();
        assertEquals(meta(1, 100), read);
        assertEquals(Map.of(), read.settings());
        assertNull(read.refresh(), "no refresh in progress recorded");
    }

    @Test
    void shouldRoundTripARefreshInProgressAndRefuseOneBeyondTheRows() throws IOException {
        final CheckpointMeta plain = meta(1, 100);
        final CheckpointMeta refreshing = new CheckpointMeta(
                plain.formatVersion(),
                plain.modelName(),
                plain.version(),
                plain.step(),
                plain.epoch(),
                plain.batchEpoch(),
                plain.batchCursor(),
                plain.batchEpochSize(),
                plain.rows(),
                plain.offsets(),
                plain.timestampMs(),
                plain.encoderConfig(),
                Map.of(),
                new RefreshProgress(9, 30, 42));
        new CheckpointDirectory(root, 2).write(refreshing, files("one"));
        final CheckpointMeta read =
                new CheckpointDirectory(root, 2).latest().orElseThrow().meta();
        assertEquals(new RefreshProgress(9, 30, 42), read.refresh());
        assertThrows(IllegalArgumentException.class, () -> new RefreshProgress(9, 42, 42), "nothing left");
        assertThrows(IllegalArgumentException.class, () -> new RefreshProgress(9, -1, 42));
        final IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new CheckpointMeta(
                        1,
                        "npid",
                        1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        42,
                        Map.of(),
                        0,
                        Map.of(),
                        Map.of(),
                        new RefreshProgress(0, 0, 43)));
        assertTrue(e.getMessage().contains("43 rows"), e.getMessage());
    }
}
