package io.npid.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;

/**
 * The deterministic batches of the crash test: batch b is a function of (seed, b) only, so the killed child and the
 * checking parent agree on every batch without talking.
 *
 * <p>Batch b puts "img-b-0" (always new), then new ids "img-b-j" or, one time in four, a repeat of an earlier batch's
 * "img-b'-0"; every 25th batch is large (over 64 KiB, so its WAL record spans several writes). Each put image and
 * vector is version b. It names the class of half of its new ids, and labels "img-(b+1)-0" before that image
 * exists. Offsets of both topics are b + 1.
 */
final class CrashBatches {
    static final int DIM = 8;
    static final int SIDE = 16;
    static final TopicPartition IMAGES = new TopicPartition("crash-images", 0);
    static final TopicPartition LABELS = new TopicPartition("crash-labels", 0);

    private CrashBatches() {}

    /** The ids batch b puts, in put order (repeats of earlier ids included). */
    static List<String> ids(final long seed, final int b) {
        final Random rnd = new Random(seed * 1_000_003L + b);
        final int count = b % 25 == 24 ? 300 : 1 + rnd.nextInt(24);
        final List<String> ids = new ArrayList<>(count);
        ids.add("img-" + b + "-0");
        for (int j = 1; j < count; j++) {
            ids.add(b > 0 && rnd.nextInt(4) == 0 ? "img-" + rnd.nextInt(b) + "-0" : "img-" + b + "-" + j);
        }
        return ids;
    }

    /** The class names batch b sets, by id: named classes, and a decimal one for the early label. */
    static Map<String, String> labels(final long seed, final int b) {
        final Map<String, String> labels = new LinkedHashMap<>();
        for (final String id : ids(seed, b)) {
            if (id.startsWith("img-" + b + "-") && (id.hashCode() & 1) == 0) {
                labels.put(id, "class " + Math.floorMod(id.hashCode(), 10));
            }
        }
        labels.put("img-" + (b + 1) + "-0", Integer.toString(b % 10));
        return labels;
    }

    static int[] ingest(final FeatureStore store, final long seed, final int b) {
        final IngestBatch batch = store.newIngest();
        for (final String id : ids(seed, b)) {
            batch.put(TestData.image(id, b, SIDE), TestData.unitVector(id, b, DIM));
        }
        labels(seed, b).forEach(batch::label);
        return batch.offset(IMAGES, b + 1L).offset(LABELS, b + 1L).commit();
    }
}
