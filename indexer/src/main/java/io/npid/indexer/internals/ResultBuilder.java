package io.npid.indexer.internals;

import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.KnnVote;
import io.npid.indexer.knn.VoteResult;
import io.npid.schemas.ClassName;
import io.npid.schemas.ResultReason;
import io.npid.schemas.event.ClassScore;
import io.npid.schemas.event.ClassificationResult;
import io.npid.schemas.event.Neighbour;
import io.npid.schemas.event.ResultStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a finished merge into the query's ClassificationResult: the vote, the neighbours and the bookkeeping.
 *
 * <p>Classes are named ({@code className} on the result, every score and every neighbour); the int {@code label}
 * fields carry the class's number where its name is a plain decimal int (legacy numeric labels), else -1 on scores
 * and neighbours and null on the result.
 */
public final class ResultBuilder {

    private final KnnVote vote;

    /**
     * Creates the builder.
     *
     * @param vote the weighted vote
     */
    public ResultBuilder(final KnnVote vote) {
        this.vote = vote;
    }

    /**
     * Builds the result of a merge.
     *
     * @param merge the merge state with the global top-k
     * @param timedOut whether the merge gave up waiting for some partitions
     * @param nowMs wall-clock time of the answer
     * @return OK, PARTIAL (timed out) or NO_LABELLED_ROWS (every partition answered and none had a labelled row)
     */
    public ClassificationResult build(final PendingMerge merge, final boolean timedOut, final long nowMs) {
        final QueryMeta query = merge.query();
        final VoteResult voted = vote.vote(merge.neighbours());
        final ResultStatus status = timedOut
                ? ResultStatus.PARTIAL
                : merge.neighbours().isEmpty() ? ResultStatus.NO_LABELLED_ROWS : ResultStatus.OK;
        final List<ClassScore> scores = new ArrayList<>();
        final String[] classes = voted.classes();
        final double[] classScores = voted.scores();
        for (int i = 0; i < classes.length; i++) {
            scores.add(new ClassScore(numberOrMinusOne(classes[i]), classScores[i], classes[i]));
        }
        final List<Neighbour> neighbours = new ArrayList<>(merge.neighbours().size());
        for (final Candidate c : merge.neighbours()) {
            neighbours.add(new Neighbour(c.id(), c.similarity(), numberOrMinusOne(c.className()), c.className()));
        }
        return ClassificationResult.newBuilder()
                .setQueryId(query.queryId())
                .setRequestId(query.requestId())
                .setStatus(status)
                .setClassName(voted.className())
                .setLabel(ClassName.numberOf(voted.className()))
                .setScores(scores)
                .setNeighbours(neighbours)
                .setModelVersion(query.modelVersion())
                .setError(
                        status == ResultStatus.NO_LABELLED_ROWS
                                ? ResultReason.NO_LABELLED_ROWS.code() + ": no image has a label yet"
                                : null)
                .setReplyKey(query.replyKey())
                .setPartitionsAnswered(merge.partitionsAnswered())
                .setPartitionsTotal(merge.partitionsTotal())
                .setQueryTimestampMs(query.queryTimestampMs())
                .setEmbeddedTimestampMs(query.embeddedTimestampMs())
                .setAnsweredTimestampMs(nowMs)
                .build();
    }

    /** The int field kept for readers from before class names: the class's number, or -1 when it has none. */
    private static int numberOrMinusOne(final String className) {
        final Integer number = ClassName.numberOf(className);
        return number == null ? -1 : number;
    }
}
