package io.npid.bench.indexer;

import io.npid.indexer.knn.Candidate;
import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.KernelType;
import io.npid.indexer.knn.KnnVote;
import io.npid.indexer.knn.ShardIndex;
import io.npid.indexer.knn.ShardSearcher;
import io.npid.indexer.knn.TopKResults;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The weighted kNN vote's accuracy on an IDX data set (Fashion-MNIST) with the exact index and with another form,
 * on the same features: does an approximate index change what the vote decides?
 *
 * <p>The features are the raw pixels scaled to 0..1, centred on the training mean and L2-normalised (no trained
 * model is involved), so the figure compares index forms, not the paper's accuracy. Training images are indexed
 * with their labels; each test image is a query, voted over k neighbours at the paper's temperature.
 */
public final class KnnVoteAccuracy {

    private static final String[] NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private KnnVoteAccuracy() {}

    /**
     * Runs the comparison.
     *
     * @param dir folder with {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz} and the
     *     {@code t10k-} pair
     * @param settings the form compared with exact
     * @param k neighbours that vote
     * @param queries test images used (the first ones)
     * @param kernel the exact kernel
     * @return accuracy of each form, their difference in points, and how often the two votes agree
     * @throws IOException if the files cannot be read
     */
    public static Map<String, Object> run(
            final Path dir, final IndexSettings settings, final int k, final int queries, final KernelType kernel)
            throws IOException {
        final float[][] train = images(dir.resolve("train-images-idx3-ubyte.gz"), Integer.MAX_VALUE);
        final byte[] trainLabels = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
        final float[][] test = images(dir.resolve("t10k-images-idx3-ubyte.gz"), queries);
        final byte[] testLabels = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        final int dim = train[0].length;
        final float[] mean = new float[dim];
        for (final float[] row : train) {
            for (int d = 0; d < dim; d++) {
                mean[d] += row[d] / train.length;
            }
        }
        normalise(train, mean);
        normalise(test, mean);
        final float[] flatQueries = new float[test.length * dim];
        for (int q = 0; q < test.length; q++) {
            System.arraycopy(test[q], 0, flatQueries, q * dim, dim);
        }
        final String[] exact =
                votes(train, trainLabels, flatQueries, test.length, IndexSettings.of(IndexForm.EXACT), k, kernel);
        final long start = System.nanoTime();
        final String[] other = votes(train, trainLabels, flatQueries, test.length, settings, k, kernel);
        final double seconds = (System.nanoTime() - start) / 1e9;
        int exactRight = 0;
        int otherRight = 0;
        int agree = 0;
        for (int q = 0; q < test.length; q++) {
            final String truth = NAMES[testLabels[q]];
            exactRight += truth.equals(exact[q]) ? 1 : 0;
            otherRight += truth.equals(other[q]) ? 1 : 0;
            agree += exact[q] != null && exact[q].equals(other[q]) ? 1 : 0;
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "knn-vote-accuracy");
        report.put("data", dir.toString());
        report.put("features", "raw pixels /255, centred on the training mean, L2-normalised (" + dim + "-d)");
        report.put("train_rows", train.length);
        report.put("queries", test.length);
        report.put("k", k);
        report.put("temperature", KnnVote.DEFAULT_TEMPERATURE);
        report.put("index", settings.form().settingName());
        report.put("accuracy_exact", (double) exactRight / test.length);
        report.put("accuracy_index", (double) otherRight / test.length);
        report.put("difference_points", 100.0 * (otherRight - exactRight) / test.length);
        report.put("votes_agreeing", (double) agree / test.length);
        report.put("index_build_and_search_s", seconds);
        return report;
    }

    private static String[] votes(
            final float[][] train,
            final byte[] labels,
            final float[] queries,
            final int count,
            final IndexSettings settings,
            final int k,
            final KernelType kernel) {
        // The int8 form re-ranks from a vector source (the shard's store in the indexer): here the training rows.
        final ShardIndex index = new ShardIndex(
                train[0].length, train.length, settings, id -> train[Integer.parseInt(id, 4, id.length(), 10)]);
        index.beginLoad();
        for (int i = 0; i < train.length; i++) {
            index.put("img-" + i, train[i]);
            index.setClassName("img-" + i, NAMES[labels[i]]);
        }
        index.endLoad();
        index.awaitSearchStructure();
        final ShardSearcher searcher = new ShardSearcher(k, kernel);
        final TopKResults results = new TopKResults();
        searcher.search(index, queries, count, k, results);
        final KnnVote vote = new KnnVote(KnnVote.DEFAULT_TEMPERATURE);
        final String[] decided = new String[count];
        for (int q = 0; q < count; q++) {
            final List<Candidate> neighbours = new ArrayList<>();
            for (int r = 0; r < results.count(q); r++) {
                final int slot = results.slot(q, r);
                neighbours.add(new Candidate(
                        index.rows().idAt(slot),
                        results.similarity(q, r),
                        index.rows().classNameAt(slot)));
            }
            decided[q] = vote.vote(neighbours).className();
        }
        return decided;
    }

    private static void normalise(final float[][] rows, final float[] mean) {
        for (final float[] row : rows) {
            double norm = 0;
            for (int d = 0; d < row.length; d++) {
                row[d] -= mean[d];
                norm += (double) row[d] * row[d];
            }
            final float inverse = norm == 0 ? 0f : (float) (1.0 / Math.sqrt(norm));
            for (int d = 0; d < row.length; d++) {
                row[d] *= inverse;
            }
        }
    }

    private static float[][] images(final Path file, final int limit) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 0x803) {
                throw new IOException(file + " is not an IDX image file");
            }
            final int count = Math.min(limit, in.readInt());
            final int pixels = in.readInt() * in.readInt();
            final float[][] rows = new float[count][pixels];
            final byte[] buffer = new byte[pixels];
            for (int i = 0; i < count; i++) {
                in.readFully(buffer);
                for (int p = 0; p < pixels; p++) {
                    rows[i][p] = (buffer[p] & 0xFF) / 255f;
                }
            }
            return rows;
        }
    }

    private static byte[] labels(final Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 0x801) {
                throw new IOException(file + " is not an IDX label file");
            }
            final byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }
}
