package io.npid.deploy.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a long-lived process until it stops by itself or the JVM is asked to stop (SIGTERM, SIGINT), closing it
 * cleanly in both cases.
 */
final class ServiceRunner {
    private ServiceRunner() {}

    /**
     * Blocks until {@code stopped} completes; a shutdown hook closes the service and waits for it.
     *
     * @param name the process, for the closing line
     * @param service what to close
     * @param stopped completes when the service has stopped; exceptionally when it failed
     * @param err where the closing line goes
     * @return {@link ExitCodes#OK} after a clean stop
     * @throws Exception what stopped the service, for the exception handler to report
     */
    static int run(
            final String name, final AutoCloseable service, final CompletableFuture<?> stopped, final PrintWriter err)
            throws Exception {
        final AtomicBoolean closed = new AtomicBoolean();
        // Whoever closes first reports: the hook on SIGTERM (the JVM halts when it returns, so it must print
        // "stopped" itself), or the main thread when the service stopped by itself.
        final Runnable closeAndReport = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    service.close();
                    err.println(name + ": stopped");
                } catch (Exception e) {
                    err.println(name + ": error while stopping: " + e);
                }
                err.flush();
            }
        };
        final Thread hook = new Thread(
                () -> {
                    err.println(name + ": stopping");
                    err.flush();
                    closeAndReport.run();
                },
                "npid-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: it closes the service
            }
        }
        closeAndReport.run();
        return ExitCodes.OK;
    }
}
