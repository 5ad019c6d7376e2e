package io.npid.deploy.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The images and skipped files under some paths, in walk order, found by {@link ImageSources} on a thread of its
 * own at most {@value #AHEAD} ahead of the caller, so that memory stays bounded whatever the folder holds.
 *
 * <p>Not thread-safe: one caller pulls. {@link #close()} stops the walk.
 */
public final class ImageWalk implements Iterator<ImageWalk.Found>, AutoCloseable {
    /** How many found entries may wait for the caller. */
    static final int AHEAD = 256;

    /**
     * One thing the walk found: an image to send or a file it skipped (exactly one is set).
     *
     * @param image the image, or null
     * @param skipped the skipped file, or null
     */
    public record Found(InputImage image, SkippedImageException skipped) {}

    /** Marks the end of the walk; {@code failure} is set when it ended on an error. */
    private record End(Exception failure) {}

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread walker;
    private Object next;
    private boolean ended;

    ImageWalk(final ImageSources sources, final List<Path> roots) {
        walker = new Thread(
                () -> {
                    try {
                        put(new End(walkAll(sources, roots)));
                    } catch (StoppedException e) {
                        // closed before the end: nobody waits for the rest
                    }
                },
                "npid-image-walk");
        walker.setDaemon(true);
        walker.start();
    }

    /**
     * Says whether there is more, waiting for the walk if needed.
     *
     * @throws UncheckedIOException when the walk ended on an error (a path vanished, a data set is malformed)
     */
    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while walking the images", e);
            }
        }
        if (next instanceof End end) {
            ended = true;
            next = null;
            if (end.failure() instanceof IOException e) {
                throw new UncheckedIOException(e);
            }
            if (end.failure() instanceof RuntimeException e) {
                throw e;
            }
        }
        return !ended;
    }

    @Override
    public Found next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final Found found = (Found) next;
        next = null;
        return found;
    }

    @Override
    public void close() {
        walker.interrupt();
    }

    /** Walks every root; returns the error it ended on, or null. */
    private Exception walkAll(final ImageSources sources, final List<Path> roots) {
        try {
            for (Path root : roots) {
                sources.walk(root, new ImageSources.Visitor() {
                    @Override
                    public void image(final InputImage image) {
                        put(new Found(image, null));
                    }

                    @Override
                    public void skipped(final SkippedImageException skipped) {
                        put(new Found(null, skipped));
                    }
                });
            }
            return null;
        } catch (StoppedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private void put(final Object entry) {
        try {
            queue.put(entry);
        } catch (InterruptedException e) {
            throw new StoppedException();
        }
    }

    /** Unwinds the walker thread when the walk is closed early. */
    private static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super(null, null, false, false);
        }
    }
}
