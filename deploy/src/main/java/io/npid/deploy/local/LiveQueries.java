package io.npid.deploy.local;

import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.QueryRequest;
import io.npid.deploy.process.Progress;
import io.npid.deploy.report.Percentiles;
import io.npid.schemas.event.ClassificationResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks {@code npid local}'s running pipeline about images, as a client would: the test queries at the end and the
 * accuracy probes during training. Every answer is read from the results topic.
 */
final class LiveQueries {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final LocalStack stack;
    private final TrainingRecorder recorder;
    private final PrintWriter err;

    LiveQueries(final LocalStack stack, final TrainingRecorder recorder, final PrintWriter err) {
        this.stack = stack;
        this.recorder = recorder;
        this.err = err;
    }

    /**
     * Asks the probe set through the pipeline and prints the share answered right.
     *
     * @param probeSet the images to ask about
     * @param epoch the trainer's epoch, for the printed line
     * @param idPrefix the query ids' prefix, unique per probe
     * @return the share of answers that named the image's class, NaN when none was answered
     */
    double probe(final LocalImages probeSet, final long epoch, final String idPrefix) {
        if (probeSet.size() == 0) {
            return Double.NaN;
        }
        final List<QueryOutcome> outcomes = query(probeSet, idPrefix, 8);
        int correct = 0;
        int answered = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).answered()) {
                answered++;
                correct += isRight(outcomes.get(i).result(), probeSet, i) ? 1 : 0;
            }
        }
        final double accuracy = answered == 0 ? Double.NaN : (double) correct / answered;
        recorder.addProbe(accuracy);
        err.printf(
                Locale.ROOT,
                "probe: epoch %d, kNN top-1 %.1f%% on %d test queries through the pipeline%n",
                epoch,
                100 * accuracy,
                answered);
        err.flush();
        return accuracy;
    }

    /**
     * Streams the images as queries, each read (a file as it is) only when it is sent, so a set of camera photos
     * is never held in memory at once.
     *
     * @param images the images
     * @param idPrefix the query ids' prefix ({@code probe...} runs quietly and unregistered)
     * @param inFlight queries in flight at once
     * @return the outcomes, in image order
     */
    List<QueryOutcome> query(final LocalImages images, final String idPrefix, final int inFlight) {
        final int maxBytes = stack.topics().imageMaxBytes();
        final QueryOutcome[] outcomes = new QueryOutcome[images.size()];
        final Iterator<QueryRequest> requests = new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < images.size();
            }

            @Override
            public QueryRequest next() {
                final int i = next++;
                // files were checked against the limit when the data set was loaded; one changed since fails here
                return new QueryRequest(idPrefix + "-" + i, images.image(i, maxBytes), null);
            }
        };
        final boolean quiet = idPrefix.startsWith("probe");
        final Progress progress = new Progress(
                quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err, "query", "answers", images.size());
        try (QueryClient client = new QueryClient(stack.client(), stack.topics(), quiet ? null : stack.registry())) {
            client.stream(requests, inFlight, ANSWER_TIMEOUT, progress, new QueryClient.Listener() {
                @Override
                public void outcome(final QueryOutcome outcome) {
                    outcomes[index(outcome.queryId())] = outcome;
                }

                @Override
                public void duplicate(final String queryId) {
                    final QueryOutcome seen = outcomes[index(queryId)];
                    outcomes[index(queryId)] =
                            new QueryOutcome(queryId, seen.result(), seen.latencyMs(), seen.duplicates() + 1);
                }
            });
            if (!quiet) {
                progress.finish();
            }
            return java.util.Arrays.asList(outcomes);
        }
    }

    /**
     * Whether the pipeline named the query's true class: a class is its name, so the answer's class name is compared
     * with the name of the image's class in its data set.
     *
     * @param result the answer
     * @param truth the queried images
     * @param i the index of the query's image
     * @return true when the answer names the image's class
     */
    static boolean isRight(final ClassificationResult result, final LocalImages truth, final int i) {
        return truth.input(i).className().equals(result.getClassName());
    }

    /** The image index in a query id {@code <prefix>-<index>}. */
    private static int index(final String queryId) {
        return Integer.parseInt(queryId.substring(queryId.lastIndexOf('-') + 1));
    }

    /** Median time of each stage, from the timestamps the embedder and indexer put in each result. */
    static Map<String, Double> latencySplit(final List<QueryOutcome> outcomes) {
        final List<QueryOutcome> answered =
                outcomes.stream().filter(QueryOutcome::answered).toList();
        if (answered.isEmpty()) {
            return Map.of();
        }
        final double[] embed = new double[answered.size()];
        final double[] index = new double[answered.size()];
        final double[] deliver = new double[answered.size()];
        for (int i = 0; i < answered.size(); i++) {
            final var r = answered.get(i).result();
            embed[i] = r.getEmbeddedTimestampMs() - r.getQueryTimestampMs();
            index[i] = r.getAnsweredTimestampMs() - r.getEmbeddedTimestampMs();
            deliver[i] = answered.get(i).latencyMs() - (r.getAnsweredTimestampMs() - r.getQueryTimestampMs());
        }
        final Map<String, Double> split = new java.util.LinkedHashMap<>();
        split.put("embed", Percentiles.of(embed, 50));
        split.put("index", Percentiles.of(index, 50));
        split.put("deliver", Percentiles.of(deliver, 50));
        return split;
    }
}
