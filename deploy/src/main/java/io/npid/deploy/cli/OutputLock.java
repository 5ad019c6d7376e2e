package io.npid.deploy.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * An exclusive lock on an output folder for the length of a run, so that two runs started in one folder never write
 * their reports over each other unnoticed: the second one stops at once and says whose the folder is.
 *
 * <p>The lock is an OS file lock on {@code .npid.lock} in the folder, released when the run ends or its process dies
 * (a killed run leaves no stale lock); while held, the file holds the owner's pid and start time, for the
 * message.
 */
final class OutputLock implements AutoCloseable {
    static final String FILE = ".npid.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(final FileChannel channel, final FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the folder for this run, creating it.
     *
     * @param dir the output folder
     * @param option the option that names it, for the message
     * @return the held lock; close it when the run's output is written
     * @throws StateDirectoryException when another run holds it
     * @throws IOException when the folder or the lock file cannot be created
     */
    static OutputLock acquire(final Path dir, final String option) throws IOException {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE);
        final FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            final String owner = owner(channel);
            channel.close();
            throw new StateDirectoryException(
                    dir + " is being written by another run" + owner + "; wait for it to "
                            + "finish or give this one its own " + option + " DIR",
                    null);
        }
        channel.truncate(0);
        channel.write(
                ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", started "
                                + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "\n")
                        .getBytes(StandardCharsets.UTF_8)),
                0);
        return new OutputLock(channel, lock);
    }

    private static String owner(final FileChannel channel) {
        try {
            final ByteBuffer buffer = ByteBuffer.allocate(200);
            channel.read(buffer, 0);
            final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : " (" + text + ")";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        // the file stays: deleting it could let two later runs lock two different files of one name
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
