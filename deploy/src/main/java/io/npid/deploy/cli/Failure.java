package io.npid.deploy.cli;

import io.npid.deploy.process.KafkaUnavailableException;
import io.npid.deploy.process.SettingException;
import io.npid.schemas.kafka.TopicMismatchException;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * One human line and an exit code that describe why a command failed.
 *
 * <p>{@link #of(Throwable)} looks through wrappers (ExecutionException, KafkaException, UncheckedIOException) for the
 * cause a user can act on, so that the line names the bad setting, file or server rather than the wrapper.
 *
 * @param message one line, without a trailing newline
 * @param exitCode one of {@link ExitCodes}
 * @param unexpected true when the failure is not one the handler knows, so the stack trace may help
 */
public record Failure(String message, int exitCode, boolean unexpected) {

    /**
     * Describes a failure by its most telling cause.
     *
     * @param thrown what a command threw
     * @return the line and exit code to report
     */
    public static Failure of(final Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            final Failure known = known(t);
            if (known != null) {
                return known;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        final Throwable root = unwrap(thrown);
        return new Failure(
                root.getClass().getSimpleName() + ": " + oneLine(root.getMessage()), ExitCodes.SOFTWARE, true);
    }

    private static Failure known(final Throwable t) {
        if (t instanceof ConfigException || t instanceof SettingException) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.USAGE, false);
        }
        if (t instanceof IllegalArgumentException
                && t.getMessage() != null
                && t.getMessage().startsWith("Invalid value")) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.USAGE, false);
        }
        if (t instanceof NoSuchFileException e) {
            return new Failure("No such file or directory: " + e.getFile(), ExitCodes.INPUT, false);
        }
        if (t instanceof AccessDeniedException e) {
            return new Failure("Permission denied: " + e.getFile(), ExitCodes.INPUT, false);
        }
        if (t instanceof InputFilesException) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.INPUT, false);
        }
        if (t instanceof FileNotFoundException) {
            return new Failure("File not found: " + oneLine(t.getMessage()), ExitCodes.INPUT, false);
        }
        if (t instanceof SslAuthenticationException) {
            return new Failure(
                    "the TLS handshake with Kafka failed: " + oneLine(t.getMessage())
                            + " (check security.protocol, the port of the TLS listener and ssl.* in --config)",
                    ExitCodes.NO_PERMISSION,
                    false);
        }
        if (t instanceof AuthenticationException) {
            // Kafka's authentication messages name the mechanism and the outcome, never the secret itself.
            return new Failure(
                    "Kafka refused the credentials: " + oneLine(t.getMessage())
                            + " (check sasl.jaas.config / ssl.* in --config, --kafka or --kafka-secret)",
                    ExitCodes.NO_PERMISSION,
                    false);
        }
        if (t instanceof AuthorizationException) {
            return new Failure(
                    "Kafka denied the operation: " + oneLine(t.getMessage()), ExitCodes.NO_PERMISSION, false);
        }
        if (t instanceof KafkaException && t.getCause() instanceof java.util.concurrent.TimeoutException) {
            return new Failure(
                    "Kafka did not answer in time: " + oneLine(t.getMessage())
                            + " (check --bootstrap-servers and the client security settings)",
                    ExitCodes.UNAVAILABLE,
                    false);
        }
        if (t instanceof KafkaUnavailableException) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.UNAVAILABLE, false);
        }
        if (t instanceof TimeoutException) {
            return new Failure(
                    "Kafka did not answer in time: " + oneLine(t.getMessage())
                            + " (check --bootstrap-servers and the client security settings)",
                    ExitCodes.UNAVAILABLE,
                    false);
        }
        if (t instanceof InterruptedException) {
            return new Failure("Interrupted", ExitCodes.INTERRUPTED, false);
        }
        if (t instanceof StateDirectoryException
                || t instanceof TopicMismatchException
                || t instanceof MissingTopicsException) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.STATE, false);
        }
        if (t instanceof IncompleteRunException) {
            return new Failure(oneLine(t.getMessage()), ExitCodes.INCOMPLETE, false);
        }
        return null;
    }

    private static Throwable unwrap(final Throwable thrown) {
        Throwable t = thrown;
        while (t.getCause() != null
                && t.getCause() != t
                && (t instanceof ExecutionException
                        || t instanceof CompletionException
                        || t instanceof UncheckedIOException
                        || t.getClass() == KafkaException.class
                        || t.getClass() == RuntimeException.class)) {
            t = t.getCause();
        }
        return t;
    }

    private static String oneLine(final String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        final String trimmed = message.strip();
        final int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
