package io.npid.deploy.bench;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.QueryRequest;
import io.npid.deploy.local.LocalImages;
import io.npid.deploy.local.LocalStack;
import io.npid.deploy.process.Progress;
import io.npid.schemas.event.Image;
import io.npid.schemas.event.Neighbour;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Times how long a new image takes from being sent to the images topic until a query with the same pixels finds it
 * among its nearest neighbours: trainer ingest and embedding, feature publication, and the indexer's update.
 */
final class FreshImageTimer {
    /** Neighbours searched for the new image: it is its own nearest one once indexed. */
    private static final int K = 10;

    private static final long GIVE_UP_NANOS = Duration.ofSeconds(30).toNanos();

    private final LocalStack stack;
    private final QueryClient client;

    FreshImageTimer(final LocalStack stack, final QueryClient client) {
        this.stack = stack;
        this.client = client;
    }

    /**
     * Sends new images one at a time and queries each until it is found.
     *
     * @param images where the new images come from
     * @param from index of the first image to use
     * @param count how many images
     * @param err where progress goes
     * @return milliseconds per image found (images not found within 30 s are left out)
     */
    double[] time(final LocalImages images, final int from, final int count, final PrintWriter err) {
        final List<Double> found = new ArrayList<>();
        final Progress progress = new Progress(err, "ingest-to-queryable", "images", count);
        try (DatasetIngestor ingestor = new DatasetIngestor(stack.client(), stack.topics())) {
            for (int i = 0; i < count; i++) {
                final int index = (from + i) % images.size();
                final String id = "fresh-" + i;
                final long sent = System.nanoTime();
                final DatasetIngestor.Run run = ingestor.start(
                        true,
                        "bench-e2e",
                        new Progress(new PrintWriter(java.io.Writer.nullWriter()), "", "", 1),
                        skip -> {});
                run.send(images.input(index).withId(id));
                run.finish();
                final Image query = images.image(index, stack.topics().imageMaxBytes());
                int attempt = 0;
                while (System.nanoTime() - sent < GIVE_UP_NANOS) {
                    final QueryOutcome outcome = client.run(
                                    List.of(new QueryRequest("fresh-" + i + "-q" + attempt++, query, K)),
                                    1,
                                    Duration.ofSeconds(10),
                                    new Progress(new PrintWriter(java.io.Writer.nullWriter()), "", "", 1))
                            .get(0);
                    if (outcome.answered() && contains(outcome, id)) {
                        found.add((System.nanoTime() - sent) / 1e6);
                        break;
                    }
                }
                progress.advance(1);
            }
        }
        return found.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean contains(final QueryOutcome outcome, final String id) {
        for (Neighbour n : outcome.result().getNeighbours()) {
            if (n.getId().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
