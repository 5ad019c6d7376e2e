package io.npid.deploy.local;

import io.npid.deploy.cli.SettingException;
import io.npid.trainer.model.Backbones;
import java.nio.file.Path;

/**
 * What {@code npid local} runs; immutable and validated.
 *
 * @param data the data set folder (IDX, CIFAR-10 or class folders), or null for the default
 * @param synthetic use the built-in synthetic set whatever is installed
 * @param epochs epochs to train before the queries are streamed, at least 1
 * @param trainLimit training images to ingest (from the start of the training split), at least 10
 * @param queries test images to stream as queries, at least 1
 * @param backbone small or resnet18
 * @param batchSize training images per step
 * @param partitions partitions of the data topics (the indexer's shards), 1..16
 * @param probeQueries test queries sent through the pipeline at each epoch for the accuracy curve, 0 for none
 * @param serve keep the stack running after the scenario, for npid ingest and npid query
 * @param stateDir where the broker and the processes keep state, or null for a temporary directory
 * @param seed seed of the synthetic set and of training
 */
public record LocalConfig(Path data, boolean synthetic, int epochs, int trainLimit, int queries, String backbone,
    int batchSize, int partitions, int probeQueries, boolean serve, Path stateDir, long seed) {

    /**
     * Validates everything before anything starts.
     *
     * @throws SettingException naming the first bad option
     */
    public LocalConfig {
        if (epochs < 1) {
            throw new SettingException("--epochs", epochs, "must be at least 1");
        }
        if (trainLimit < 10) {
            throw new SettingException("--train-limit", trainLimit, "must be at least 10");
        }
        if (queries < 1) {
            throw new SettingException("--queries", queries, "must be at least 1");
        }
        if (!Backbones.NAMES.contains(backbone)) {
            throw new SettingException("--backbone", backbone, "must be one of " + Backbones.NAMES);
        }
        if (batchSize < 2 || batchSize > 4096) {
            throw new SettingException("--batch-size", batchSize, "must be between 2 and 4096");
        }
        if (partitions < 1 || partitions > 16) {
            throw new SettingException("--partitions", partitions, "must be between 1 and 16");
        }
        if (probeQueries < 0) {
            throw new SettingException("--probe-queries", probeQueries, "must be 0 (none) or more");
        }
    }
}
