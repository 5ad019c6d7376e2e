package io.npid.indexer.knn;

import java.util.Objects;

/**
 * How a shard's {@link ShardIndex} searches: the form and its parameters ({@code npid.indexer.index},
 * {@code npid.indexer.ann.min.rows}, {@code npid.indexer.int8.rerank}, {@code npid.indexer.hnsw.*}).
 *
 * @param form the form; {@link IndexForm#AUTO} means exact below {@code annMinRows} rows, HNSW from then on
 * @param annMinRows rows from which AUTO builds and searches the HNSW graph, at least 1
 * @param int8Rerank int8 candidates kept per neighbour asked for, re-ranked in float, at least 1
 * @param hnswM HNSW neighbours per node, at least 2
 * @param hnswEfConstruction HNSW beam width when inserting, at least 1
 * @param hnswEfSearch HNSW candidates collected per search (at least k are), at least 1
 * @param hnswBuildThreads worker threads of a background HNSW graph build, at least 1
 */
public record IndexSettings(
        IndexForm form,
        int annMinRows,
        int int8Rerank,
        int hnswM,
        int hnswEfConstruction,
        int hnswEfSearch,
        int hnswBuildThreads) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public IndexSettings {
        Objects.requireNonNull(form, "form");
        if (annMinRows < 1
                || int8Rerank < 1
                || hnswM < 2
                || hnswEfConstruction < 1
                || hnswEfSearch < 1
                || hnswBuildThreads < 1) {
            throw new IllegalArgumentException("Index settings out of range: " + annMinRows + ", " + int8Rerank + ", "
                    + hnswM + ", " + hnswEfConstruction + ", " + hnswEfSearch + ", " + hnswBuildThreads);
        }
    }

    /**
     * The defaults of the settings with another form.
     *
     * @param form the form
     * @return the settings
     */
    public static IndexSettings of(final IndexForm form) {
        return new IndexSettings(form, 200_000, 4, 16, 100, 300, 1);
    }

    /**
     * The same settings with another number of HNSW build threads.
     *
     * @param threads worker threads of a graph build
     * @return the settings
     */
    public IndexSettings withBuildThreads(final int threads) {
        return new IndexSettings(form, annMinRows, int8Rerank, hnswM, hnswEfConstruction, hnswEfSearch, threads);
    }

    /**
     * The same settings with another HNSW search width.
     *
     * @param efSearch candidates per search
     * @return the settings
     */
    public IndexSettings withEfSearch(final int efSearch) {
        return new IndexSettings(form, annMinRows, int8Rerank, hnswM, hnswEfConstruction, efSearch, hnswBuildThreads);
    }
}
