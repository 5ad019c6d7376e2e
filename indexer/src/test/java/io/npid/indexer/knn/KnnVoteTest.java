package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vote and the search against the PyTorch reference values in golden/knn_vote.json. */
class KnnVoteTest {

    private static JsonNode golden;

    @BeforeAll
    static void loadGolden() throws IOException {
        try (InputStream in = KnnVoteTest.class.getResourceAsStream("/golden/knn_vote.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    private static float[] row(final JsonNode node) {
        final float[] values = new float[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) node.get(i).asDouble();
        }
        return values;
    }

    private static float[] normalized(final float[] v) {
        double norm = 0;
        for (final float x : v) {
            norm += (double) x * x;
        }
        final float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] /= (float) Math.sqrt(norm);
        }
        return out;
    }

    @Test
    void shouldMatchTheGoldenNeighboursScoresAndPredictions() {
        final int dim = golden.get("dim").asInt();
        final int k = golden.get("k").asInt();
        final int classes = golden.get("classes").asInt();
        final KnnVote vote = new KnnVote(golden.get("temperature").asDouble());
        final FlatIndex index = new FlatIndex(dim, 0);
        final JsonNode train = golden.get("train_features");
        for (int i = 0; i < train.size(); i++) {
            // The reference votes on cosine similarity; the indexer normalises rows on ingest the same way.
            index.put("t" + i, normalized(row(train.get(i))));
            // Int labels are classes named by their decimal strings.
            index.setClassName("t" + i, golden.get("train_labels").get(i).asText());
        }
        final ExactSearcher searcher = new ExactSearcher(k);
        final TopKResults results = new TopKResults();
        final JsonNode queries = golden.get("queries");
        int correct = 0;
        for (int q = 0; q < queries.size(); q++) {
            searcher.search(index, normalized(row(queries.get(q))), 1, k, results);
            final List<Candidate> neighbours = new ArrayList<>();
            for (int i = 0; i < results.count(0); i++) {
                final int slot = results.slot(0, i);
                neighbours.add(new Candidate(index.idAt(slot), results.similarity(0, i), index.classNameAt(slot)));
                assertEquals(
                        "t" + golden.get("top_indices").get(q).get(i).asInt(),
                        index.idAt(slot),
                        "query " + q + " neighbour " + i);
                assertEquals(
                        golden.get("top_similarities").get(q).get(i).asDouble(),
                        results.similarity(0, i),
                        2e-6,
                        "query " + q + " similarity " + i);
            }
            final VoteResult result = vote.vote(neighbours);
            final double[] expected = new double[classes];
            final double[] actual = new double[classes];
            for (int c = 0; c < classes; c++) {
                expected[c] = golden.get("class_scores").get(q).get(c).asDouble();
                actual[c] = result.scoreOf(Integer.toString(c));
            }
            assertTrue(
                    relativeError(actual, expected) < 1e-5,
                    "query " + q + " class scores, relative error " + relativeError(actual, expected));
            assertEquals(golden.get("predictions").get(q).asText(), result.className(), "query " + q);
            if (result.className().equals(golden.get("query_labels").get(q).asText())) {
                correct++;
            }
        }
        assertEquals(golden.get("accuracy").asDouble(), (double) correct / queries.size(), 1e-12);
    }

    private static double relativeError(final double[] actual, final double[] expected) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            ref += expected[i] * expected[i];
        }
        return Math.sqrt(diff / ref);
    }

    @Test
    void shouldBreakATieTowardsTheSmallerName() {
        final VoteResult result =
                new KnnVote(0.1).vote(List.of(new Candidate("a", 0.5f, "coat"), new Candidate("b", 0.5f, "bag")));
        assertEquals("bag", result.className());
        assertArrayEquals(new String[] {"bag", "coat"}, result.classes());
        assertEquals(Math.exp(5.0), result.scoreOf("coat"), 1e-9);
        assertEquals(0.0, result.scoreOf("dress"));
        final VoteResult numeric =
                new KnnVote(0.1).vote(List.of(new Candidate("a", 0.5f, "9"), new Candidate("b", 0.5f, "10")));
        assertEquals("10", numeric.className(), "names compare as strings, decimal ones too");
    }

    @Test
    void shouldVoteByNameSoThatEqualNumbersOfOtherDataSetsNeverMix() {
        final VoteResult result = new KnnVote(1.0)
                .vote(List.of(
                        new Candidate("a", 0.9f, "bag"),
                        new Candidate("b", 0.8f, "T-shirt/top"),
                        new Candidate("c", 0.7f, "bag")));
        assertEquals("bag", result.className());
        assertArrayEquals(new String[] {"T-shirt/top", "bag"}, result.classes());
        assertEquals(Math.exp(0.9f) + Math.exp(0.7f), result.scoreOf("bag"), 1e-12);
        assertEquals(Math.exp(0.8f), result.scoreOf("T-shirt/top"), 1e-12);
    }

    @Test
    void shouldLetManyWeakNeighboursOutvoteOneStrongOne() {
        final VoteResult result = new KnnVote(1.0)
                .vote(List.of(
                        new Candidate("a", 0.9f, "0"), new Candidate("b", 0.5f, "1"), new Candidate("c", 0.5f, "1")));
        assertEquals("1", result.className(), "2 e^0.5 > e^0.9");
    }

    @Test
    void shouldReturnNoClassForNoNeighbours() {
        final VoteResult result = new KnnVote(KnnVote.DEFAULT_TEMPERATURE).vote(List.of());
        assertFalse(result.hasClass());
        assertNull(result.className());
        assertEquals(0, result.classes().length);
    }

    @Test
    void shouldRefuseANonPositiveTemperatureOrAnUnlabelledNeighbour() {
        assertThrows(IllegalArgumentException.class, () -> new KnnVote(0));
        assertThrows(IllegalArgumentException.class, () -> new KnnVote(Double.NaN));
        assertThrows(
                NullPointerException.class, () -> new Candidate("a", 0.1f, null), "only labelled rows are candidates");
    }
}
