package io.npid.deploy.local;

import io.npid.deploy.process.DirectoryTrees;
import io.npid.store.FeatureStore;
import io.npid.trainer.checkpoint.CheckpointDirectory;
import io.npid.trainer.eval.VoteTemperature;
import io.npid.trainer.stream.StreamingTrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Chooses the vote temperature a local run answers its test queries with, as the paper's protocol allows: on a
 * seeded 10% validation split of the labelled training images ({@link VoteTemperature}), with their features from
 * the trainer's latest checkpoint, never on the test images. The paper's T 0.07 was set for ImageNet; on
 * Fashion-MNIST the validation split picks 0.02-0.03, worth 1.5-2 points (docs/experiments.md).
 */
final class VoteCalibration {
    /** Seed of the validation split: fixed, so a run's choice is repeatable. */
    static final long SEED = 42;

    private VoteCalibration() {}

    /**
     * Chooses T on the trainer's latest checkpoint.
     *
     * @param trainer the trainer's configuration (its checkpoints and feature store)
     * @param labelById the class index of each labelled training image
     * @param classes the data set's class count
     * @param k neighbours that vote
     * @return the chosen temperature and the validation accuracy at every grid point
     * @throws IOException when the checkpoint cannot be copied
     * @throws IllegalStateException when there is no checkpoint or too few labelled rows
     */
    static VoteTemperature.Choice choose(
            final StreamingTrainerConfig trainer, final Map<String, Integer> labelById, final int classes, final int k)
            throws IOException {
        final CheckpointDirectory.Checkpoint checkpoint = new CheckpointDirectory(
                        trainer.checkpointDir(), Integer.MAX_VALUE)
                .latest()
                .orElseThrow(() -> new IllegalStateException("no trainer checkpoint in " + trainer.checkpointDir()));
        // opening RocksDB writes to its directory, so the checkpoint's store is read from a copy
        final Path copy = Files.createTempDirectory("npid-vote");
        try {
            DirectoryTrees.copy(checkpoint.storeDir(), copy);
            try (FeatureStore store = FeatureStore.open(copy, trainer.storeOptions())) {
                final int dim = store.dimension();
                final float[] bank = store.loadBank();
                final float[] vectors = new float[store.size() * dim];
                final int[] labels = new int[store.size()];
                int labelled = 0;
                for (int row = 0; row < store.size(); row++) {
                    final Integer label = labelById.get(store.idOf(row));
                    if (label != null) {
                        System.arraycopy(bank, row * dim, vectors, labelled * dim, dim);
                        labels[labelled++] = label;
                    }
                }
                return new VoteTemperature(k, VoteTemperature.GRID, SEED)
                        .choose(
                                java.util.Arrays.copyOf(vectors, labelled * dim),
                                java.util.Arrays.copyOf(labels, labelled),
                                dim,
                                classes);
            }
        } finally {
            DirectoryTrees.delete(copy);
        }
    }
}
