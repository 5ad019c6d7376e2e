package io.npid.store.internals;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps native RocksDB handles from being used during or after close, which would crash the JVM rather than throw.
 *
 * <p>Every operation holds a shared lease while it touches native handles; {@link #closeOnce()} takes the exclusive
 * lock, so it waits for running operations and later ones fail with a clear {@link IllegalStateException}.
 */
public final class CloseGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String name;
    private boolean closed;

    /**
     * @param name what is guarded, for messages (e.g. "Feature store at /data/store")
     */
    public CloseGuard(final String name) {
        this.name = name;
    }

    /** A held shared lease; closing it releases the lease. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @return a lease to close when the operation is done
     * @throws IllegalStateException if the guarded object is closed
     */
    public Lease enter() {
        final ReentrantReadWriteLock.ReadLock read = lock.readLock();
        read.lock();
        if (closed) {
            read.unlock();
            throw new IllegalStateException(name + " is closed");
        }
        return read::unlock;
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
