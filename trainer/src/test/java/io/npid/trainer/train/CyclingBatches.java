package io.npid.trainer.train;

import io.npid.trainer.data.AugmentedBatch;
import io.npid.trainer.data.Augmenter;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.SplitMix64;
import java.util.List;

/** Test batches that walk the rows in order, wrapping around, augmented with a seed per step. */
public final class CyclingBatches {
    private CyclingBatches() {}

    /**
     * The batch of a step: rows {@code step*size .. step*size+size-1} modulo the number of images.
     *
     * @param learner the learner whose augmentation is used
     * @param images square grey images of side {@code side}, one per bank row
     * @param step the step, also the augmentation seed
     * @param size images per batch
     * @param side the images' side
     * @return the batch
     */
    public static AugmentedBatch of(
            final NpidLearner learner,
            final List<DecodedImage> images,
            final long step,
            final int size,
            final int side) {
        final Augmenter augmenter = new Augmenter(learner.augmentation());
        final int per = learner.augmentation().floatsPerImage();
        final int[] rows = new int[size];
        final float[] pixels = new float[size * per];
        final SplitMix64 rng = new SplitMix64(step);
        for (int i = 0; i < size; i++) {
            rows[i] = (int) ((step * size + i) % images.size());
            augmenter.augment(images.get(rows[i]), rng, pixels, i * per);
        }
        return new AugmentedBatch(rows, pixels, 1, side, 0, 0, 0, null);
    }
}
