package io.npid.store;

import java.nio.file.Path;

/**
 * Main class of the child JVMs the store tests start.
 *
 * <p>{@code hold DIR}: opens the store, prints OPEN and keeps it open until stdin closes. {@code crash-ingest DIR
 * SEED}: opens the store, prints "OPEN o" with the stored offset o, then ingests batch o, o+1, ... forever, printing
 * "C b" after batch b's commit returned, until it is killed.
 */
public final class StoreChildProcess {
    private StoreChildProcess() {}

    public static void main(final String[] args) throws Exception {
        final Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> {
                try (FeatureStore store = FeatureStore.open(dir, StoreOptions.defaults(CrashBatches.DIM))) {
                    System.out.println("OPEN " + store.size());
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // Keep the store (and its lock) until the parent closes our stdin.
                    }
                }
            }
            case "crash-ingest" -> {
                final long seed = Long.parseLong(args[2]);
                final FeatureStore store = FeatureStore.open(dir, StoreOptions.defaults(CrashBatches.DIM));
                int b = store.offsets().getOrDefault(CrashBatches.IMAGES, 0L).intValue();
                System.out.println("OPEN " + b);
                System.out.flush();
                while (true) {
                    CrashBatches.ingest(store, seed, b);
                    System.out.println("C " + b);
                    System.out.flush();
                    b++;
                }
            }
            default -> throw new IllegalArgumentException("Unknown mode " + args[0]);
        }
    }
}
