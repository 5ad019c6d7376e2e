package io.npid.store;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps native RocksDB handles from being used during or after close, which would crash the JVM rather than throw.
 *
 * <p>Every operation runs inside {@link #call} or {@link #run}, holding a shared lease while it touches native
 * handles; {@link #closeOnce()} takes the exclusive lock, so it waits for running operations and later ones fail
 * with a clear {@link IllegalStateException}.
 */
final class CloseGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String name;
    private boolean closed;

    /**
     * @param name what is guarded, for messages (e.g. "Feature store at /data/store")
     */
    public CloseGuard(final String name) {
        this.name = name;
    }

    /**
     * Runs an operation that uses the native handles, holding a shared lease.
     *
     * @param operation the operation
     * @param <T> its result type
     * @return its result
     * @throws IllegalStateException if the guarded object is closed
     */
    public <T> T call(final Supplier<T> operation) {
        final ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        try {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            return operation.get();
        } finally {
            read.unlock();
        }
    }

    /**
     * Runs an operation without a result that uses the native handles, holding a shared lease.
     *
     * @param operation the operation
     * @throws IllegalStateException if the guarded object is closed
     */
    public void run(final Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    /**
     * Marks the guarded object closed once running operations are done.
     *
     * @return true the first time, false if it was already closed
     */
    public boolean closeOnce() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }
}
