package io.npid.trainer.stream;

import io.npid.schemas.Topics;

/**
 * The streaming trainer's own setting keys: model name, state directory, epochs, checkpoints, publication, polling,
 * ingest, and the input images' shape and limits.
 *
 * <p>{@link StreamingTrainerConfig} implements this interface so that every key keeps reading
 * {@code StreamingTrainerConfig.X_CONFIG} at its call sites, while the keys, their declaration
 * ({@code StreamingTrainerDefinition}: types, defaults, docs) and the reading of values live apart.
 */
public interface StreamingTrainerKeys {
    /** {@code npid.model.name}. */
    String MODEL_NAME_CONFIG = "npid.model.name";
    /** {@code npid.trainer.data.dir}. */
    String DATA_DIR_CONFIG = "npid.trainer.data.dir";
    /** {@code npid.trainer.epochs}. */
    String EPOCHS_CONFIG = "npid.trainer.epochs";
    /** {@code npid.trainer.checkpoint.interval.steps}. */
    String CHECKPOINT_INTERVAL_STEPS_CONFIG = "npid.trainer.checkpoint.interval.steps";
    /** {@code npid.trainer.checkpoint.interval.ms}. */
    String CHECKPOINT_INTERVAL_MS_CONFIG = "npid.trainer.checkpoint.interval.ms";
    /** {@code npid.trainer.checkpoint.keep}. */
    String CHECKPOINT_KEEP_CONFIG = "npid.trainer.checkpoint.keep";
    /** {@code npid.trainer.publish.interval.ms}. */
    String PUBLISH_INTERVAL_MS_CONFIG = "npid.trainer.publish.interval.ms";
    /** {@code npid.trainer.poll.timeout.ms}. */
    String POLL_TIMEOUT_MS_CONFIG = "npid.trainer.poll.timeout.ms";
    /** {@code npid.trainer.progress.interval.ms}. */
    String PROGRESS_INTERVAL_MS_CONFIG = "npid.trainer.progress.interval.ms";
    /** {@code npid.trainer.republish.on.start}. */
    String REPUBLISH_ON_START_CONFIG = "npid.trainer.republish.on.start";
    /** {@code npid.trainer.embed.batch.size}. */
    String EMBED_BATCH_SIZE_CONFIG = "npid.trainer.embed.batch.size";
    /** {@code npid.trainer.ingest.threads}. */
    String INGEST_THREADS_CONFIG = "npid.trainer.ingest.threads";
    /** {@code npid.trainer.train}. */
    String TRAIN_CONFIG = "npid.trainer.train";
    /** {@code npid.trainer.create.topics}. */
    String CREATE_TOPICS_CONFIG = "npid.trainer.create.topics";
    /** {@code npid.trainer.loader.wait.ms}. */
    String LOADER_WAIT_MS_CONFIG = "npid.trainer.loader.wait.ms";
    /** {@code npid.image.channels}. */
    String IMAGE_CHANNELS_CONFIG = "npid.image.channels";
    /** {@code npid.image.size}. */
    String IMAGE_SIZE_CONFIG = "npid.image.size";
    /** {@code npid.image.store.size}. */
    String IMAGE_STORE_SIZE_CONFIG = "npid.image.store.size";
    /** {@code npid.image.max.bytes}, declared with the topics it sizes ({@link Topics#IMAGE_MAX_BYTES_CONFIG}). */
    String MAX_IMAGE_BYTES_CONFIG = Topics.IMAGE_MAX_BYTES_CONFIG;
    /** {@code npid.image.max.width}. */
    String MAX_IMAGE_WIDTH_CONFIG = "npid.image.max.width";
    /** {@code npid.image.max.height}. */
    String MAX_IMAGE_HEIGHT_CONFIG = "npid.image.max.height";
    /** The prefix of the keys this process owns; an unknown key with it is a typo and fails fast. */
    String PREFIX = "npid.trainer.";
}
