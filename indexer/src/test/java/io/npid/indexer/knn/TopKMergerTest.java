package io.npid.indexer.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKMergerTest {

    @Test
    void shouldEqualTheTopKOfTheUnionWhateverTheShardOrder() {
        final Random random = new Random(11);
        final List<Candidate> all = new ArrayList<>();
        final List<List<Candidate>> shards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 300; i++) {
            final Candidate c = new Candidate("id" + i, random.nextInt(50) / 50f, "c" + (i % 4));
            all.add(c);
            shards.get(random.nextInt(3)).add(c);
        }
        final int k = 40;
        final List<List<Candidate>> partials = new ArrayList<>();
        for (final List<Candidate> shard : shards) {
            partials.add(shard.stream().sorted(Candidate.BEST_FIRST).limit(k).toList());
        }
        final List<Candidate> expected =
                all.stream().sorted(Candidate.BEST_FIRST).limit(k).toList();

        assertEquals(expected, TopKMerger.mergeAll(partials, k));
        assertEquals(expected, TopKMerger.mergeAll(List.of(partials.get(2), partials.get(0), partials.get(1)), k));
    }

    @Test
    void shouldKeepADuplicatedIdOnce() {
        final List<Candidate> a = List.of(new Candidate("x", 0.9f, "c1"), new Candidate("y", 0.5f, "c2"));
        final List<Candidate> b = List.of(new Candidate("x", 0.9f, "c1"), new Candidate("z", 0.4f, "c0"));
        assertEquals(List.of(a.get(0), a.get(1), b.get(1)), TopKMerger.merge(a, b, 10));
    }

    @Test
    void shouldStopAtK() {
        final List<Candidate> a = List.of(new Candidate("a", 0.9f, "c1"), new Candidate("c", 0.1f, "c1"));
        final List<Candidate> b = List.of(new Candidate("b", 0.5f, "c2"));
        assertEquals(List.of(a.get(0), b.get(0)), TopKMerger.merge(a, b, 2));
    }
}
