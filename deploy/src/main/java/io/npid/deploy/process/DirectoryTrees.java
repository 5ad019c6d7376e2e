package io.npid.deploy.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Copies and deletes directory trees (temporary state of local runs and evaluations). */
public final class DirectoryTrees {
    private DirectoryTrees() {}

    /**
     * Copies a tree; the target must not contain the files already.
     *
     * @param from source directory
     * @param to target directory (created)
     * @throws IOException when a file cannot be copied
     */
    public static void copy(final Path from, final Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * Deletes a tree if it exists.
     *
     * @param dir the directory
     * @throws IOException when a file cannot be deleted
     */
    public static void delete(final Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
