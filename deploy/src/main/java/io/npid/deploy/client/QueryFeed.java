package io.npid.deploy.client;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The queries of an {@link ImageWalk}: each image found is read (a file as it is) when the client is ready to send
 * it, and remembered until its answer is printed; files that cannot be sent are reported and passed over.
 *
 * <p>Not thread-safe: {@link QueryClient#stream} pulls and hands out outcomes on one thread.
 */
public final class QueryFeed implements Iterator<QueryRequest> {
    private final ImageWalk walk;
    private final int maxBytes;
    private final Integer k;
    private final String runId;
    private final Consumer<SkippedImageException> onSkip;
    private final Map<String, InputImage> pending = new HashMap<>();
    private QueryRequest next;
    private long sent;

    /**
     * Creates the feed.
     *
     * @param walk the images
     * @param maxBytes the largest image npid accepts; larger files are skipped before they are read
     * @param k neighbours that vote, or null for the indexer's default
     * @param runId makes this run's query ids unique, e.g. 8 random characters
     * @param onSkip told of every file not sent (not an image, too large, unreadable)
     */
    public QueryFeed(
            final ImageWalk walk,
            final int maxBytes,
            final Integer k,
            final String runId,
            final Consumer<SkippedImageException> onSkip) {
        this.walk = walk;
        this.maxBytes = maxBytes;
        this.k = k;
        this.runId = runId;
        this.onSkip = onSkip;
    }

    @Override
    public boolean hasNext() {
        while (next == null && walk.hasNext()) {
            final ImageWalk.Found found = walk.next();
            if (found.skipped() != null) {
                onSkip.accept(found.skipped());
                continue;
            }
            try {
                final InputImage image = found.image();
                final QueryRequest request = new QueryRequest("q-" + runId + "-" + sent, image.read(maxBytes), k);
                sent++;
                pending.put(request.queryId(), image);
                next = request;
            } catch (SkippedImageException e) {
                onSkip.accept(e);
            }
        }
        return next != null;
    }

    @Override
    public QueryRequest next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        final QueryRequest request = next;
        next = null;
        return request;
    }

    /**
     * Hands back the image a query was made of, once, when its outcome has come.
     *
     * @param queryId the query
     * @return its image, or null for an id this feed did not make or already handed back
     */
    public InputImage answered(final String queryId) {
        return pending.remove(queryId);
    }

    /** @return how many queries were made */
    public long sent() {
        return sent;
    }
}
