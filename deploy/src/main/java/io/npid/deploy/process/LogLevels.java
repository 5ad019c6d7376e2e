package io.npid.deploy.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Changes log levels at run time: the libraries to INFO when the user asks for --verbose, the processes' own
 * progress logs to WARN where a command prints its own progress lines.
 */
public final class LogLevels {
    private static final List<String> QUIET_LIBRARIES = List.of("org.apache.kafka", "kafka", "ai.djl", "org.rocksdb");

    private static volatile boolean verbose;

    private LogLevels() {}

    /** @return whether --verbose was given */
    public static boolean isVerbose() {
        return verbose;
    }

    /** Sets the processes' own loggers to WARN, for runs that print their own progress ({@code npid local}). */
    public static void quietProcesses() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext) {
            for (String name : List.of("io.npid.trainer", "io.npid.indexer", "io.npid.store")) {
                ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.WARN);
            }
        }
    }

    /** Sets the libraries to INFO and npid itself to DEBUG. */
    public static void verbose() {
        verbose = true;
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return; // another SLF4J backend (e.g. in a test harness) keeps its own configuration
        }
        // logback.xml silences some chatty children further; let them inherit the library level again
        for (Logger logger : context.getLoggerList()) {
            if (QUIET_LIBRARIES.stream().anyMatch(p -> logger.getName().startsWith(p + "."))) {
                logger.setLevel(null);
            }
        }
        for (String name : QUIET_LIBRARIES) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        }
        ((Logger) LoggerFactory.getLogger("io.npid")).setLevel(Level.DEBUG);
    }
}
