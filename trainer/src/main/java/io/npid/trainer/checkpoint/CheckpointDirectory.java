package io.npid.trainer.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of versioned trainer checkpoints with an atomically flipped {@code LATEST} pointer.
 *
 * <p>Layout: {@code root/v-000000000007/{learner/, store/, checkpoint.json}} and {@code root/LATEST}, a one-line
 * file naming the newest complete version directory. A checkpoint is written into a staging directory, synced,
 * renamed into place, and only then made current by writing {@code LATEST.tmp} and renaming it over
 * {@code LATEST} with {@link StandardCopyOption#ATOMIC_MOVE}. A crash at any moment therefore leaves
 * {@code LATEST} naming a complete checkpoint (or no file at all before the first one); leftovers of an
 * interrupted write are removed by the next write. The newest {@code keep} versions are kept.
 *
 * <p>Not thread-safe: one trainer owns one directory.
 */
public final class CheckpointDirectory {
    /** Name of the pointer file. */
    public static final String LATEST = "LATEST";
    /** Name of the metadata file inside a version directory. */
    public static final String META_FILE = "checkpoint.json";
    /** Sub-directory with the learner's files. */
    public static final String LEARNER_DIR = "learner";
    /** Sub-directory with the feature-store snapshot. */
    public static final String STORE_DIR = "store";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDirectory.class);
    private static final String VERSION_PREFIX = "v-";
    private static final String STAGING_PREFIX = ".staging-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final int keep;

    /**
     * Opens (creating if needed) a checkpoint directory.
     *
     * @param root the directory holding the version directories
     * @param keep how many versions to keep, at least 1
     * @throws UncheckedIOException when the directory cannot be created
     */
    public CheckpointDirectory(final Path root, final int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.root = root;
        this.keep = keep;
        try {
            Files.createDirectories(root);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot create checkpoint directory " + root, e);
        }
    }

    /** Writes a checkpoint's learner files and store snapshot into the given directories. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the checkpoint content.
         *
         * @param learnerDir an existing empty directory for the learner's files
         * @param storeDir a path that does not exist yet, for the store snapshot (RocksDB creates it)
         * @throws IOException when writing fails; the checkpoint is then abandoned
         */
        void writeTo(Path learnerDir, Path storeDir) throws IOException;
    }

    /**
     * Returns the current checkpoint, the one {@code LATEST} names.
     *
     * @return the latest complete checkpoint, or empty before the first one
     * @throws UncheckedIOException when the pointer or the metadata cannot be read
     */
    public Optional<Checkpoint> latest() {
        final Path pointer = root.resolve(LATEST);
        final String name;
        try {
            name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        } catch (final NoSuchFileException e) {
            return Optional.empty();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint pointer " + pointer, e);
        }
        final Path dir = root.resolve(name);
        if (!Files.isRegularFile(dir.resolve(META_FILE))) {
            // Only manual tampering gets here: the pointer is flipped after the directory is complete.
            throw new IllegalStateException("Checkpoint pointer " + pointer + " names " + name
                    + ", which has no " + META_FILE + "; restore that directory or delete " + pointer
                    + " to start from the live store without a learner checkpoint");
        }
        return Optional.of(read(dir));
    }

    /**
     * Writes a new checkpoint and makes it the latest.
     *
     * @param meta the checkpoint's metadata; its version must be above the latest version
     * @param content writes the learner files and the store snapshot
     * @return the committed checkpoint
     * @throws IOException when any write fails; {@code LATEST} then still names the previous checkpoint
     */
    public Checkpoint write(final CheckpointMeta meta, final Content content) throws IOException {
        final long latestVersion = latest().map(c -> c.meta().version()).orElse(0L);
        if (meta.version() <= latestVersion) {
            throw new IllegalArgumentException(
                    "Checkpoint version " + meta.version() + " must be above the latest version " + latestVersion);
        }
        final String name = versionName(meta.version());
        final Path staging = root.resolve(STAGING_PREFIX + name);
        final Path target = root.resolve(name);
        deleteRecursively(staging);
        // An orphan of a crash between the rename and the pointer flip: never current, safe to replace.
        deleteRecursively(target);
        Files.createDirectories(staging.resolve(LEARNER_DIR));
        content.writeTo(staging.resolve(LEARNER_DIR), staging.resolve(STORE_DIR));
        JSON.writeValue(staging.resolve(META_FILE).toFile(), meta);
        syncTree(staging);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        final Path tmp = root.resolve(LATEST + ".tmp");
        Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
        syncFile(tmp);
        Files.move(tmp, root.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(root);
        prune(meta.version());
        return new Checkpoint(target, meta);
    }

    /**
     * Lists the version numbers of the complete checkpoints on disk, oldest first.
     *
     * @return versions whose directory holds metadata
     * @throws UncheckedIOException when the directory cannot be listed
     */
    public List<Long> versions() {
        final List<Long> versions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, VERSION_PREFIX + "*")) {
            for (final Path entry : entries) {
                final long version = parseVersion(entry.getFileName().toString());
                if (version > 0 && Files.isRegularFile(entry.resolve(META_FILE))) {
                    versions.add(version);
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot list checkpoints in " + root, e);
        }
        versions.sort(Comparator.naturalOrder());
        return versions;
    }

    /**
     * Returns the root directory.
     *
     * @return the directory holding the versions and the pointer
     */
    public Path root() {
        return root;
    }

    private void prune(final long current) throws IOException {
        final List<Long> versions = versions();
        for (int i = 0; i < versions.size() - keep; i++) {
            if (versions.get(i) != current) {
                deleteRecursively(root.resolve(versionName(versions.get(i))));
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, STAGING_PREFIX + "*")) {
            for (final Path entry : entries) {
                deleteRecursively(entry);
            }
        }
    }

    private static Checkpoint read(final Path dir) {
        try {
            return new Checkpoint(dir, JSON.readValue(dir.resolve(META_FILE).toFile(), CheckpointMeta.class));
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint metadata " + dir.resolve(META_FILE), e);
        }
    }

    static String versionName(final long version) {
        return String.format("%s%012d", VERSION_PREFIX, version);
    }

    private static long parseVersion(final String name) {
        try {
            return Long.parseLong(name.substring(VERSION_PREFIX.length()));
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    private static void syncTree(final Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    syncFile(path);
                } else if (Files.isDirectory(path)) {
                    syncDirectory(path);
                }
            }
        }
    }

    private static void syncFile(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void syncDirectory(final Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic, only less durable.
            LOG.debug("Cannot sync directory {}: {}", dir, e.toString());
        }
    }

    static void deleteRecursively(final Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A complete checkpoint on disk.
     *
     * @param dir the version directory
     * @param meta its metadata
     */
    public record Checkpoint(Path dir, CheckpointMeta meta) {
        /**
         * Returns the learner's directory.
         *
         * @return {@code dir/learner}
         */
        public Path learnerDir() {
            return dir.resolve(LEARNER_DIR);
        }

        /**
         * Returns the feature-store snapshot's directory.
         *
         * @return {@code dir/store}
         */
        public Path storeDir() {
            return dir.resolve(STORE_DIR);
        }
    }
}
