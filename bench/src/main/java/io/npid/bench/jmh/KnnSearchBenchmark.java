package io.npid.bench.jmh;

import io.npid.bench.data.RandomVectors;
import io.npid.indexer.knn.ExactSearcher;
import io.npid.indexer.knn.FlatIndex;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.TopKResults;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact inner-product kNN over a flat index: one batch of queries against every labelled row, per kernel. The
 * score is batches per second; multiply by {@code queries} for queries per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The Vector API kernel needs the incubator module in the forked JVM too.
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KnnSearchBenchmark {

    private static final int CLASSES = 10;

    /** Rows in the index. */
    @Param("20000")
    public int rows;

    /** Values per vector (the embedding size). */
    @Param("128")
    public int dimension;

    /** Queries per search call. */
    @Param("64")
    public int queries;

    /** Neighbours per query (the paper's k = 200 vote). */
    @Param("200")
    public int k;

    /** Which kernel the searcher runs: AUTO is what the indexer runs here; {@code -p kernel=VECTOR} forces the other. */
    @Param({"SCALAR", "AUTO"})
    public KernelType kernel;

    private FlatIndex index;
    private float[] queryRows;
    private ExactSearcher searcher;
    private TopKResults results;

    /** Fills the index with seeded unit vectors, each labelled. */
    @Setup
    public void setUp() {
        final float[] data = RandomVectors.unitRows(rows, dimension, 42);
        index = new FlatIndex(dimension, rows);
        for (int row = 0; row < rows; row++) {
            index.put("img-" + row, RandomVectors.row(data, row, dimension));
            index.setClassName("img-" + row, "class-" + row % CLASSES);
        }
        queryRows = RandomVectors.unitRows(queries, dimension, 43);
        searcher = new ExactSearcher(k, kernel, ExactSearcher.DEFAULT_BLOCK_ROWS);
        results = new TopKResults();
    }

    /**
     * Searches one batch of queries.
     *
     * @return the results (returned so that the JIT cannot drop the search)
     */
    @Benchmark
    public TopKResults search() {
        searcher.search(index, queryRows, queries, k, results);
        return results;
    }
}
