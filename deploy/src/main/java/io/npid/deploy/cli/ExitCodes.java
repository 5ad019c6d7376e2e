package io.npid.deploy.cli;

/**
 * The exit codes of the {@code npid} command, one per kind of failure so that scripts can tell them apart.
 *
 * <p>Codes 0, 1 and 2 keep their usual meaning (success, failure, usage); the others name the part of the world that
 * was wrong.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** An unexpected failure: a bug, or something the handler does not know. */
    public static final int SOFTWARE = 1;
    /** A usage error: unknown option, missing parameter, or a setting with an invalid value. */
    public static final int USAGE = 2;
    /** A file or directory that was named does not exist or cannot be read. */
    public static final int INPUT = 3;
    /** Kafka could not be reached, or a request to it timed out. */
    public static final int UNAVAILABLE = 4;
    /** Kafka refused the credentials or the operation (authentication or authorization). */
    public static final int NO_PERMISSION = 5;
    /** A state directory (feature store, Streams state) is locked, corrupt or of another version. */
    public static final int STATE = 6;
    /** The work ran, but its result is not what was asked for (e.g. queries left unanswered). */
    public static final int INCOMPLETE = 7;
    /** Interrupted by the user (SIGINT), as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
