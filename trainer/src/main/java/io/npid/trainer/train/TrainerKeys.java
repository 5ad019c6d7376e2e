package io.npid.trainer.train;

/**
 * The learner's setting keys, grouped by concern: model, objective, memory bank, optimiser, runtime, augmentation
 * and evaluation.
 *
 * <p>{@link TrainerConfig} implements this interface so that every key keeps reading {@code TrainerConfig.X_CONFIG}
 * at its many call sites, while the keys, their declaration ({@code TrainerDefinition}: types, defaults, docs) and
 * the reading of values ({@link TrainerConfig}) live in three files of one concern each.
 */
public interface TrainerKeys {
    /** {@code npid.backbone}. */
    String BACKBONE_CONFIG = "npid.backbone";
    /** {@code npid.objective}. */
    String OBJECTIVE_CONFIG = "npid.objective";
    /** {@code npid.temperature}. */
    String TEMPERATURE_CONFIG = "npid.temperature";
    /** {@code npid.proximal.lambda}. */
    String PROXIMAL_LAMBDA_CONFIG = "npid.proximal.lambda";
    /** {@code npid.nce.k}. */
    String NCE_K_CONFIG = "npid.nce.k";
    /** {@code npid.nce.z.growth}. */
    String NCE_Z_GROWTH_CONFIG = "npid.nce.z.growth";
    /** {@code npid.nce.z.momentum}. */
    String NCE_Z_MOMENTUM_CONFIG = "npid.nce.z.momentum";
    /** {@code npid.nce.similarity}. */
    String NCE_SIMILARITY_CONFIG = "npid.nce.similarity";
    /** {@code npid.nce.negatives}. */
    String NCE_NEGATIVES_CONFIG = "npid.nce.negatives";
    /** {@code npid.nce.shared.min.rows}. */
    String NCE_SHARED_MIN_ROWS_CONFIG = "npid.nce.shared.min.rows";
    /** {@code npid.softmax.max.rows}. */
    String SOFTMAX_MAX_ROWS_CONFIG = "npid.softmax.max.rows";
    /** {@code npid.bank.refresh.pause.rows}. */
    String BANK_REFRESH_PAUSE_ROWS_CONFIG = "npid.bank.refresh.pause.rows";
    /** {@code npid.bank.refresh.spread.epochs}. */
    String BANK_REFRESH_SPREAD_EPOCHS_CONFIG = "npid.bank.refresh.spread.epochs";
    /** {@code npid.bank.dtype}. */
    String BANK_DTYPE_CONFIG = "npid.bank.dtype";
    /** {@code npid.momentum}. */
    String MOMENTUM_CONFIG = "npid.momentum";
    /** {@code npid.bank.init}. */
    String BANK_INIT_CONFIG = "npid.bank.init";
    /** {@code npid.bank.refresh.epochs}. */
    String BANK_REFRESH_EPOCHS_CONFIG = "npid.bank.refresh.epochs";
    /** {@code npid.lr}. */
    String LR_CONFIG = "npid.lr";
    /** {@code npid.lr.schedule}. */
    String LR_SCHEDULE_CONFIG = "npid.lr.schedule";
    /** {@code npid.lr.decay.epochs}. */
    String LR_DECAY_EPOCHS_CONFIG = "npid.lr.decay.epochs";
    /** {@code npid.lr.decay.factor}. */
    String LR_DECAY_FACTOR_CONFIG = "npid.lr.decay.factor";
    /** {@code npid.lr.warmup.steps}. */
    String LR_WARMUP_STEPS_CONFIG = "npid.lr.warmup.steps";
    /** {@code npid.epochs}. */
    String EPOCHS_CONFIG = "npid.epochs";
    /** {@code npid.sgd.momentum}. */
    String SGD_MOMENTUM_CONFIG = "npid.sgd.momentum";
    /** {@code npid.ema.decay}. */
    String EMA_DECAY_CONFIG = "npid.ema.decay";
    /** {@code npid.weight.decay}. */
    String WEIGHT_DECAY_CONFIG = "npid.weight.decay";
    /** {@code npid.batch.size}. */
    String BATCH_SIZE_CONFIG = "npid.batch.size";
    /** {@code npid.seed}. */
    String SEED_CONFIG = "npid.seed";
    /** {@code npid.device}. */
    String DEVICE_CONFIG = "npid.device";
    /** {@code npid.threads}. */
    String THREADS_CONFIG = "npid.threads";
    /** {@code npid.low.dim}. */
    String LOW_DIM_CONFIG = "npid.low.dim";
    /** {@code npid.crop.scale.min}. */
    String CROP_SCALE_MIN_CONFIG = "npid.crop.scale.min";
    /** {@code npid.crop.scale.max}. */
    String CROP_SCALE_MAX_CONFIG = "npid.crop.scale.max";
    /** {@code npid.translate.pixels}. */
    String TRANSLATE_PIXELS_CONFIG = "npid.translate.pixels";
    /** {@code npid.flip}. */
    String FLIP_CONFIG = "npid.flip";
    /** {@code npid.color.jitter}. */
    String COLOR_JITTER_CONFIG = "npid.color.jitter";
    /** {@code npid.erase.probability}. */
    String ERASE_PROBABILITY_CONFIG = "npid.erase.probability";
    /** {@code npid.rotate.degrees}. */
    String ROTATE_DEGREES_CONFIG = "npid.rotate.degrees";
    /** {@code npid.blur.probability}. */
    String BLUR_PROBABILITY_CONFIG = "npid.blur.probability";
    /** {@code npid.grayscale.probability}. */
    String GRAYSCALE_PROBABILITY_CONFIG = "npid.grayscale.probability";
    /** {@code npid.normalize.mean}. */
    String NORMALIZE_MEAN_CONFIG = "npid.normalize.mean";
    /** {@code npid.normalize.std}. */
    String NORMALIZE_STD_CONFIG = "npid.normalize.std";
    /** {@code npid.knn.k}. */
    String KNN_K_CONFIG = "npid.knn.k";
    /** {@code npid.knn.temperature}. */
    String KNN_TEMPERATURE_CONFIG = "npid.knn.temperature";
    /** {@code npid.loader.prefetch}. */
    String LOADER_PREFETCH_CONFIG = "npid.loader.prefetch";
}
