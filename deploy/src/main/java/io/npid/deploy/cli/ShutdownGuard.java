package io.npid.deploy.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C (SIGINT) or SIGTERM, at any moment of a foreground command, into a clean stop: the JVM's shutdown hook
 * says so, interrupts the command's thread, and holds the JVM until the command has closed what it started and
 * removed its temporary state (or until a grace period ends), since the JVM halts as soon as its hooks return.
 *
 * <p>The command checks {@link #stopping()} where it could otherwise go on (after loading data, after starting
 * processes), calls {@link #cleaningUp()} when its cleanup begins, so that a late signal cannot interrupt the
 * cleanup itself, and {@link #close()} when it is done.
 */
final class ShutdownGuard implements AutoCloseable {
    private final String name;
    private final PrintWriter err;
    private final Thread worker;
    private final Duration grace;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean stopping;
    private boolean cleaning;

    private ShutdownGuard(final String name, final PrintWriter err, final Duration grace) {
        this.name = name;
        this.err = err;
        this.grace = grace;
        this.worker = Thread.currentThread();
        this.hook = new Thread(this::stop, name.replace(' ', '-') + "-shutdown");
    }

    /**
     * Installs the hook for the calling thread's command.
     *
     * @param name the command, for its lines, e.g. {@code npid local}
     * @param err where the lines go
     * @param grace how long the JVM waits for the cleanup
     * @return the guard; close it when the command is done
     */
    static ShutdownGuard install(final String name, final PrintWriter err, final Duration grace) {
        final ShutdownGuard guard = new ShutdownGuard(name, err, grace);
        Runtime.getRuntime().addShutdownHook(guard.hook);
        return guard;
    }

    private void stop() {
        stopping = true;
        synchronized (err) {
            err.println(name + ": interrupted; stopping and cleaning up (up to " + grace.toSeconds() + " s)");
            err.flush();
        }
        stopRequested.countDown();
        synchronized (this) {
            if (!cleaning) {
                worker.interrupt();
            }
        }
        try {
            if (!done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (err) {
                    err.println(name + ": did not stop within " + grace.toSeconds() + " s; exiting anyway");
                    err.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether a signal asked the command to stop */
    boolean stopping() {
        return stopping;
    }

    /**
     * Stops the command here if a signal asked it to.
     *
     * @throws InterruptedException when stopping
     */
    void check() throws InterruptedException {
        if (stopping) {
            throw new InterruptedException(name + " was asked to stop");
        }
    }

    /**
     * Waits until a signal asks the command to stop (a command that serves until Ctrl-C).
     *
     * @throws InterruptedException when interrupted otherwise
     */
    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Marks the start of the cleanup: from now on a signal no longer interrupts the command's thread. */
    synchronized void cleaningUp() {
        cleaning = true;
        Thread.interrupted(); // an interrupt that came before must not cut the cleanup's own waits short
    }

    /** Lets a waiting hook return (the JVM then halts) or, without a signal, removes the hook. */
    @Override
    public void close() {
        done.countDown();
        if (!stopping) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is shutting down for another reason: the hook runs and finds the work done
            }
        }
    }
}
