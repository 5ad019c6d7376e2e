package io.npid.trainer.stream;

import java.nio.file.Path;
import java.util.Map;

/**
 * A streaming trainer in its own JVM, for the crash test: started with the broker, topic prefix and data directory,
 * it prints "STARTED step=S rows=N ..." and then "STATUS step=S rows=N consumed=C rejected=R lag=L" every 50 ms
 * (records consumed and dead-lettered since this start, lag as of the last fetch, -1 unknown), until it is killed or
 * its stdin closes (then it stops cleanly and prints "STOPPED"). Further arguments KEY=VALUE override settings.
 */
public final class TrainerChildProcess {
    private TrainerChildProcess() {}

    /**
     * Runs the trainer.
     *
     * @param args bootstrap servers, topic prefix, data directory, then KEY=VALUE settings
     * @throws Exception when the trainer fails
     */
    public static void main(final String[] args) throws Exception {
        final Map<String, Object> settings = StreamFixtures.trainerSettings(args[0], args[1], Path.of(args[2]));
        settings.put(StreamingTrainerConfig.CHECKPOINT_INTERVAL_STEPS_CONFIG, "3");
        settings.put(StreamingTrainerConfig.CREATE_TOPICS_CONFIG, "false");
        // Small polls, so that ingest spans many store writes and a kill can land in the middle of it.
        settings.put("consumer.max.poll.records", "16");
        for (int i = 3; i < args.length; i++) {
            final int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try (StreamingTrainer trainer = StreamingTrainer.start(new StreamingTrainerConfig(settings), null)) {
            System.out.println("STARTED " + line(trainer.status()));
            final Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // wait for end of input
                    }
                } catch (final java.io.IOException e) {
                    // treat as end of input
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            while (watcher.isAlive() && trainer.isRunning()) {
                final TrainerStatus status = trainer.status();
                System.out.println("STATUS " + line(status));
                Thread.sleep(50);
            }
        }
        System.out.println("STOPPED");
    }

    private static String line(final TrainerStatus status) {
        return "step=" + status.step() + " rows=" + status.rows() + " consumed=" + status.recordsConsumed()
                + " rejected=" + status.recordsRejected() + " lag=" + status.lag();
    }
}
