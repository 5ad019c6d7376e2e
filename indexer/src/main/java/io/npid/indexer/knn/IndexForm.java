package io.npid.indexer.knn;

import java.util.Locale;

/**
 * How a shard searches its rows: {@code npid.indexer.index}.
 *
 * <p>Every form returns slots of the shard's {@link FlatIndex} ranked by their exact float inner product, so the
 * vote is the paper's weighted kNN over whichever neighbours the form found; the forms differ only in which rows
 * they find.
 */
public enum IndexForm {
    /** Brute force over every float row: the reference, and the default below the ANN row threshold. */
    EXACT,
    /**
     * A scan over int8 codes (one scale per row), then an exact float re-rank of the best candidates with vectors
     * read from a {@link RowVectors} source (the shard's store): no float row on the heap.
     */
    INT8,
    /** Lucene's HNSW graph, updated as rows change, then an exact float re-rank of the graph's candidates. */
    HNSW,
    /** EXACT while a shard has fewer rows than {@code npid.indexer.ann.min.rows}, HNSW from then on. */
    AUTO;

    /**
     * The setting's spelling of this form.
     *
     * @return e.g. {@code hnsw}
     */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
