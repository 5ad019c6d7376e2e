package io.npid.trainer.train;

import io.npid.trainer.data.AugmentationSpec;
import io.npid.trainer.model.Backbones;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The immutable, validated settings of the learner: model, objective, optimiser, augmentation and evaluation.
 *
 * <p>Built from a flat map (string or typed values); keys it does not declare are ignored, so one map can carry the
 * streaming and Kafka settings too ({@link #names()} lists the learner's keys). Every value is validated in the
 * constructor; a bad one fails with "Invalid value V for configuration K: reason" (Kafka's ConfigException).
 */
public final class TrainerConfig {
    /** {@code npid.backbone}. */
    public static final String BACKBONE_CONFIG = "npid.backbone";
    /** {@code npid.objective}. */
    public static final String OBJECTIVE_CONFIG = "npid.objective";
    /** {@code npid.temperature}. */
    public static final String TEMPERATURE_CONFIG = "npid.temperature";
    /** {@code npid.nce.k}. */
    public static final String NCE_K_CONFIG = "npid.nce.k";
    /** {@code npid.nce.z.growth}. */
    public static final String NCE_Z_GROWTH_CONFIG = "npid.nce.z.growth";
    /** {@code npid.nce.z.momentum}. */
    public static final String NCE_Z_MOMENTUM_CONFIG = "npid.nce.z.momentum";
    /** {@code npid.nce.similarity}. */
    public static final String NCE_SIMILARITY_CONFIG = "npid.nce.similarity";
    /** {@code npid.nce.negatives}. */
    public static final String NCE_NEGATIVES_CONFIG = "npid.nce.negatives";
    /** {@code npid.softmax.max.rows}. */
    public static final String SOFTMAX_MAX_ROWS_CONFIG = "npid.softmax.max.rows";
    /** {@code npid.bank.refresh.pause.rows}. */
    public static final String BANK_REFRESH_PAUSE_ROWS_CONFIG = "npid.bank.refresh.pause.rows";
    /** {@code npid.bank.dtype}. */
    public static final String BANK_DTYPE_CONFIG = "npid.bank.dtype";
    /** {@code npid.momentum}. */
    public static final String MOMENTUM_CONFIG = "npid.momentum";
    /** {@code npid.bank.init}. */
    public static final String BANK_INIT_CONFIG = "npid.bank.init";
    /** {@code npid.bank.refresh.epochs}. */
    public static final String BANK_REFRESH_EPOCHS_CONFIG = "npid.bank.refresh.epochs";
    /** {@code npid.lr}. */
    public static final String LR_CONFIG = "npid.lr";
    /** {@code npid.lr.schedule}. */
    public static final String LR_SCHEDULE_CONFIG = "npid.lr.schedule";
    /** {@code npid.lr.decay.epochs}. */
    public static final String LR_DECAY_EPOCHS_CONFIG = "npid.lr.decay.epochs";
    /** {@code npid.lr.decay.factor}. */
    public static final String LR_DECAY_FACTOR_CONFIG = "npid.lr.decay.factor";
    /** {@code npid.lr.warmup.steps}. */
    public static final String LR_WARMUP_STEPS_CONFIG = "npid.lr.warmup.steps";
    /** {@code npid.epochs}. */
    public static final String EPOCHS_CONFIG = "npid.epochs";
    /** {@code npid.sgd.momentum}. */
    public static final String SGD_MOMENTUM_CONFIG = "npid.sgd.momentum";
    /** {@code npid.weight.decay}. */
    public static final String WEIGHT_DECAY_CONFIG = "npid.weight.decay";
    /** {@code npid.batch.size}. */
    public static final String BATCH_SIZE_CONFIG = "npid.batch.size";
    /** {@code npid.seed}. */
    public static final String SEED_CONFIG = "npid.seed";
    /** {@code npid.device}. */
    public static final String DEVICE_CONFIG = "npid.device";
    /** {@code npid.threads}. */
    public static final String THREADS_CONFIG = "npid.threads";
    /** {@code npid.low.dim}. */
    public static final String LOW_DIM_CONFIG = "npid.low.dim";
    /** {@code npid.crop.scale.min}. */
    public static final String CROP_SCALE_MIN_CONFIG = "npid.crop.scale.min";
    /** {@code npid.crop.scale.max}. */
    public static final String CROP_SCALE_MAX_CONFIG = "npid.crop.scale.max";
    /** {@code npid.translate.pixels}. */
    public static final String TRANSLATE_PIXELS_CONFIG = "npid.translate.pixels";
    /** {@code npid.flip}. */
    public static final String FLIP_CONFIG = "npid.flip";
    /** {@code npid.color.jitter}. */
    public static final String COLOR_JITTER_CONFIG = "npid.color.jitter";
    /** {@code npid.grayscale.probability}. */
    public static final String GRAYSCALE_PROBABILITY_CONFIG = "npid.grayscale.probability";
    /** {@code npid.normalize.mean}. */
    public static final String NORMALIZE_MEAN_CONFIG = "npid.normalize.mean";
    /** {@code npid.normalize.std}. */
    public static final String NORMALIZE_STD_CONFIG = "npid.normalize.std";
    /** {@code npid.knn.k}. */
    public static final String KNN_K_CONFIG = "npid.knn.k";
    /** {@code npid.knn.temperature}. */
    public static final String KNN_TEMPERATURE_CONFIG = "npid.knn.temperature";
    /** {@code npid.loader.prefetch}. */
    public static final String LOADER_PREFETCH_CONFIG = "npid.loader.prefetch";

    private static final ConfigDef.Validator POSITIVE_OR_NULL = (name, value) -> {
        if (value != null && !(((Number) value).doubleValue() > 0)) {
            throw new ConfigException(name, value, "must be greater than 0");
        }
    };
    private static final ConfigDef.Validator UNIT_INTERVAL = Range.between(0.0, 1.0);
    private static final ConfigDef.Validator FRACTION = (name, value) -> {
        final double v = ((Number) value).doubleValue();
        if (!(v >= 0 && v < 1)) {
            throw new ConfigException(name, value, "must be in [0, 1)");
        }
    };

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BACKBONE_CONFIG, Type.STRING, Backbones.SMALL_FLAT,
                    ValidString.in(Backbones.NAMES.toArray(String[]::new)), Importance.HIGH,
                    "Encoder backbone: small-flat (SmallConvNet, last feature map flattened), small (SmallConvNet "
                            + "with global average pooling, design.md §1) or resnet18 (CIFAR-style). Default "
                            + "small-flat: 82.1% kNN after one Fashion-MNIST epoch against small's 76.4% "
                            + "(docs/experiments.md).")
            .define(OBJECTIVE_CONFIG, Type.STRING, "softmax", ValidString.in("softmax", "nce"), Importance.HIGH,
                    "softmax (full non-parametric softmax over the bank) or nce (K sampled negatives). Default "
                            + "softmax.")
            .define(TEMPERATURE_CONFIG, Type.DOUBLE, null, POSITIVE_OR_NULL, Importance.HIGH,
                    "Temperature T of the objective. Default 0.1 for softmax, 0.07 for nce; > 0.")
            .define(NCE_K_CONFIG, Type.INT, 4096, Range.atLeast(1), Importance.MEDIUM,
                    "NCE negatives per sample, drawn uniformly from the bank. Default 4096, at least 1.")
            .define(NCE_Z_GROWTH_CONFIG, Type.DOUBLE, 0.1, Range.atLeast(0.0), Importance.LOW,
                    "Re-estimate NCE's Z when the bank has grown by this fraction since the last estimate; "
                            + "0 keeps the first estimate. Default 0.1.")
            .define(NCE_Z_MOMENTUM_CONFIG, Type.DOUBLE, 0.0, FRACTION, Importance.LOW,
                    "When > 0, Z follows every batch's estimate as an exponential moving average with this momentum "
                            + "(e.g. 0.99) instead of staying fixed; 0 keeps the paper's fixed Z. Default 0.")
            .define(NCE_SIMILARITY_CONFIG, Type.STRING, "auto", ValidString.in("auto", "gather", "product"),
                    Importance.LOW, "How NCE with per-sample negatives computes v.f: gather (rows then batched "
                            + "product), product (f times the whole bank, then pick) or auto (cheaper for N and K); "
                            + "shared negatives always gather their B + K rows. Default auto.")
            .define(NCE_NEGATIVES_CONFIG, Type.STRING, "per-sample", ValidString.in("per-sample", "shared"),
                    Importance.MEDIUM, "per-sample (the paper: K negatives drawn for every sample, B*K bank rows "
                            + "gathered per step) or shared (one set of K negatives for the whole batch, B+K rows; "
                            + "the same estimator per sample, cheaper with large banks). Default per-sample.")
            .define(SOFTMAX_MAX_ROWS_CONFIG, Type.INT, 250_000, Range.atLeast(1), Importance.MEDIUM,
                    "Above this many bank rows the softmax objective runs as NCE (npid.nce.*; the full softmax "
                            + "costs O(N) per step). Default 250000.")
            .define(MOMENTUM_CONFIG, Type.DOUBLE, 0.5, FRACTION, Importance.MEDIUM,
                    "Memory-bank momentum m in v <- normalize(m v + (1-m) f). Default 0.5, in [0, 1).")
            .define(BANK_INIT_CONFIG, Type.STRING, "embedding", ValidString.in("embedding", "random"),
                    Importance.MEDIUM, "How a new image's bank row starts: embedding (its current f, queryable at "
                            + "once) or random (the paper's uniform rows). Default embedding.")
            // Defaults lr 0.01, crop 0.5-1, 2-px shift and a refresh every epoch: measured in docs/experiments.md
            // (Fashion-MNIST, 10k images, 3 epochs = the default npid local): kNN 67.7% with bank = recomputed
            // features, against 64.4% recomputed / 54.8% bank with the paper's lr 0.03, crop 0.2-1, no refresh.
            .define(BANK_REFRESH_EPOCHS_CONFIG, Type.INT, 1, Range.atLeast(0), Importance.MEDIUM,
                    "Re-embed every bank row with the current encoder (the paper's recomputed features) after "
                            + "every this-many epochs; 0 never. Default 1: the momentum bank lags the model and "
                            + "training against fresh rows learns faster (docs/experiments.md).")
            .define(BANK_REFRESH_PAUSE_ROWS_CONFIG, Type.INT, 100_000, Range.atLeast(0), Importance.LOW,
                    "A bank refresh of at most this many rows pauses training until it is done; a larger one is "
                            + "spread over the following steps (a slice per step, embedded by a frozen copy of the "
                            + "encoder, so the result equals a paused refresh). Default 100000.")
            .define(BANK_DTYPE_CONFIG, Type.STRING, "float32", ValidString.in("float32", "float16"),
                    Importance.LOW, "Element type of the in-memory bank: float32, or float16 (half the bytes "
                            + "per row; rows are widened to float32 for every computation). Default float32.")
            .define(LR_CONFIG, Type.DOUBLE, null, POSITIVE_OR_NULL, Importance.HIGH,
                    "SGD learning rate. Default 0.01 for grey input (the paper's 0.03 lost kNN accuracy on "
                            + "Fashion-MNIST in short runs), 0.03 for colour input (3 points better than 0.01 on "
                            + "CIFAR-10 images after 30 epochs); docs/experiments.md.")
            .define(LR_SCHEDULE_CONFIG, Type.STRING, "constant", ValidString.in("constant", "step", "cosine"),
                    Importance.MEDIUM, "Learning-rate schedule: constant (endless online training), step (times "
                            + "the decay factor at each decay epoch) or cosine (to 0 over npid.epochs). Default constant.")
            .define(LR_DECAY_EPOCHS_CONFIG, Type.LIST, "", Importance.LOW,
                    "Epochs at which the step schedule multiplies the rate by the decay factor, e.g. 120,160.")
            .define(LR_DECAY_FACTOR_CONFIG, Type.DOUBLE, 0.1, POSITIVE_OR_NULL, Importance.LOW,
                    "Step-schedule decay factor. Default 0.1.")
            .define(LR_WARMUP_STEPS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Steps of linear learning-rate warm-up from 0. Default 0.")
            .define(EPOCHS_CONFIG, Type.INT, 10, Range.atLeast(1), Importance.MEDIUM,
                    "Epochs of offline training and the cosine schedule's length. Default 10.")
            .define(SGD_MOMENTUM_CONFIG, Type.DOUBLE, 0.9, FRACTION, Importance.LOW, "SGD momentum. Default 0.9.")
            .define(WEIGHT_DECAY_CONFIG, Type.DOUBLE, 5e-4, Range.atLeast(0.0), Importance.LOW,
                    "SGD weight decay (L2), applied to every parameter as torch.optim.SGD does. Default 5e-4.")
            .define(BATCH_SIZE_CONFIG, Type.INT, 128, Range.atLeast(2), Importance.HIGH,
                    "Images per training step. Default 128, at least 2 (batch norm).")
            .define(SEED_CONFIG, Type.LONG, 42L, Importance.MEDIUM,
                    "Seed of initialisation, negatives, shuffling and augmentation. Default 42.")
            .define(DEVICE_CONFIG, Type.STRING, "auto", ValidString.in("auto", "cpu", "gpu"), Importance.MEDIUM,
                    "auto (GPU when present), cpu or gpu. Default auto.")
            .define(THREADS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                    "PyTorch intra-op threads; 0 uses every core. Default 0.")
            .define(LOW_DIM_CONFIG, Type.INT, 128, Range.atLeast(2), Importance.MEDIUM,
                    "Embedding dimension. Default 128.")
            .define(CROP_SCALE_MIN_CONFIG, Type.DOUBLE, 0.5, Range.between(0.01, 1.0), Importance.MEDIUM,
                    "Smallest RandomResizedCrop area fraction. Default 0.5 (the paper's 0.2 is too destructive "
                            + "for 28x28 grey images; measured on Fashion-MNIST only).")
            .define(CROP_SCALE_MAX_CONFIG, Type.DOUBLE, 1.0, Range.between(0.01, 1.0), Importance.LOW,
                    "Largest RandomResizedCrop area fraction. Default 1.")
            .define(TRANSLATE_PIXELS_CONFIG, Type.INT, 2, Range.atLeast(0), Importance.LOW,
                    "Random shift of the crop by up to this many pixels in x and y, zero-filled (small grey images "
                            + "such as Fashion-MNIST); 0 none. Default 2.")
            .define(FLIP_CONFIG, Type.BOOLEAN, true, Importance.LOW, "Random horizontal flip. Default true.")
            .define(COLOR_JITTER_CONFIG, Type.DOUBLE, 0.4, UNIT_INTERVAL, Importance.LOW,
                    "Colour-jitter strength for RGB images. Default 0.4.")
            .define(GRAYSCALE_PROBABILITY_CONFIG, Type.DOUBLE, 0.2, UNIT_INTERVAL, Importance.LOW,
                    "Probability of turning an RGB crop grey. Default 0.2.")
            .define(NORMALIZE_MEAN_CONFIG, Type.LIST, "", Importance.LOW,
                    "Per-channel mean for normalisation; empty = Fashion-MNIST (grey) or CIFAR-10 (RGB) values.")
            .define(NORMALIZE_STD_CONFIG, Type.LIST, "", Importance.LOW,
                    "Per-channel standard deviation for normalisation; empty = data-set defaults as for the mean.")
            .define(KNN_K_CONFIG, Type.INT, 200, Range.atLeast(1), Importance.MEDIUM,
                    "Neighbours in the weighted kNN vote. Default 200.")
            .define(KNN_TEMPERATURE_CONFIG, Type.DOUBLE, 0.07, POSITIVE_OR_NULL, Importance.MEDIUM,
                    "Temperature of the kNN vote weights exp(sim/T). Default 0.07.")
            .define(LOADER_PREFETCH_CONFIG, Type.INT, 4, Range.atLeast(1), Importance.LOW,
                    "Augmented batches prepared ahead of the training thread. Default 4.");

    private final AbstractConfig values;

    /**
     * Validates a configuration map.
     *
     * @param originals the settings; undeclared keys are ignored
     * @throws ConfigException naming the key when a value is malformed or out of range
     */
    public TrainerConfig(final Map<String, ?> originals) {
        this.values = new AbstractConfig(CONFIG, originals, false);
        if (cropScaleMin() > cropScaleMax()) {
            throw new ConfigException(CROP_SCALE_MIN_CONFIG, cropScaleMin(),
                    "must not exceed " + CROP_SCALE_MAX_CONFIG + " (" + cropScaleMax() + ")");
        }
        for (final String key : List.of(NORMALIZE_MEAN_CONFIG, NORMALIZE_STD_CONFIG, LR_DECAY_EPOCHS_CONFIG)) {
            for (final String item : values.getList(key)) {
                try {
                    final double v = Double.parseDouble(item);
                    if (key.equals(NORMALIZE_STD_CONFIG) && !(v > 0)) {
                        throw new ConfigException(key, values.getList(key), "every value must be > 0");
                    }
                } catch (final NumberFormatException e) {
                    throw new ConfigException(key, values.getList(key), "'" + item + "' is not a number");
                }
            }
        }
        if (values.getList(NORMALIZE_MEAN_CONFIG).size() != values.getList(NORMALIZE_STD_CONFIG).size()) {
            throw new ConfigException(NORMALIZE_STD_CONFIG, values.getList(NORMALIZE_STD_CONFIG),
                    "needs as many values as " + NORMALIZE_MEAN_CONFIG);
        }
    }

    /**
     * Returns the defaults.
     *
     * @return a config with every default
     */
    public static TrainerConfig defaults() {
        return new TrainerConfig(Map.of());
    }

    /**
     * Returns a copy with some settings replaced.
     *
     * @param overrides keys and values to set
     * @return the new config
     */
    public TrainerConfig with(final Map<String, ?> overrides) {
        final Map<String, Object> merged = new HashMap<>(values.originals());
        merged.putAll(overrides);
        return new TrainerConfig(merged);
    }

    /**
     * Returns the declaration table (types, defaults, docs), for help output and documentation.
     *
     * @return a copy of the ConfigDef
     */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * Returns the keys this config declares.
     *
     * @return the key names
     */
    public static Set<String> names() {
        return CONFIG.names();
    }

    /** @return the backbone name */
    public String backbone() {
        return values.getString(BACKBONE_CONFIG);
    }

    /** @return true for NCE, false for the full softmax */
    public boolean isNce() {
        return "nce".equals(values.getString(OBJECTIVE_CONFIG));
    }

    /** @return the objective name, softmax or nce */
    public String objective() {
        return values.getString(OBJECTIVE_CONFIG);
    }

    /** @return T, resolved from the objective when not set */
    public double temperature() {
        final Double t = values.getDouble(TEMPERATURE_CONFIG);
        return t != null ? t : isNce() ? 0.07 : 0.1;
    }

    /** @return NCE's K */
    public int nceK() {
        return values.getInt(NCE_K_CONFIG);
    }

    /** @return bank growth fraction that triggers a new Z estimate (0 = never) */
    public double nceZGrowth() {
        return values.getDouble(NCE_Z_GROWTH_CONFIG);
    }

    /** @return the EMA momentum of Z (0 = fixed Z) */
    public double nceZMomentum() {
        return values.getDouble(NCE_Z_MOMENTUM_CONFIG);
    }

    /** @return auto, gather or product */
    public String nceSimilarity() {
        return values.getString(NCE_SIMILARITY_CONFIG);
    }

    /** @return true for one set of NCE negatives per batch, false for the paper's per-sample negatives */
    public boolean nceSharedNegatives() {
        return "shared".equals(values.getString(NCE_NEGATIVES_CONFIG));
    }

    /** @return the bank size above which the softmax objective runs as NCE */
    public int softmaxMaxRows() {
        return values.getInt(SOFTMAX_MAX_ROWS_CONFIG);
    }

    /** @return the largest bank whose refresh pauses training; larger ones are spread over steps */
    public int bankRefreshPauseRows() {
        return values.getInt(BANK_REFRESH_PAUSE_ROWS_CONFIG);
    }

    /** @return true when the in-memory bank stores float16 */
    public boolean bankHalfPrecision() {
        return "float16".equals(values.getString(BANK_DTYPE_CONFIG));
    }

    /** @return the bank momentum m */
    public double bankMomentum() {
        return values.getDouble(MOMENTUM_CONFIG);
    }

    /** @return true when new rows start as the current embedding, false for the paper's random rows */
    public boolean bankInitFromEmbedding() {
        return "embedding".equals(values.getString(BANK_INIT_CONFIG));
    }

    /** @return epochs between bank refreshes in offline training (0 = never) */
    public int bankRefreshEpochs() {
        return values.getInt(BANK_REFRESH_EPOCHS_CONFIG);
    }

    /**
     * Returns the base learning rate for a model's input.
     *
     * @param inputChannels 1 (grey) or 3 (colour)
     * @return {@code npid.lr}, else the default for that input: 0.01 grey, 0.03 colour
     */
    public double learningRate(final int inputChannels) {
        final Double lr = values.getDouble(LR_CONFIG);
        return lr != null ? lr : inputChannels == 3 ? 0.03 : 0.01;
    }

    /** @return constant, step or cosine */
    public String lrSchedule() {
        return values.getString(LR_SCHEDULE_CONFIG);
    }

    /** @return the epochs at which the step schedule decays */
    public int[] lrDecayEpochs() {
        return values.getList(LR_DECAY_EPOCHS_CONFIG).stream().mapToInt(s -> (int) Double.parseDouble(s)).toArray();
    }

    /** @return the step schedule's factor */
    public double lrDecayFactor() {
        return values.getDouble(LR_DECAY_FACTOR_CONFIG);
    }

    /** @return linear warm-up steps */
    public int lrWarmupSteps() {
        return values.getInt(LR_WARMUP_STEPS_CONFIG);
    }

    /** @return epochs of offline training and of the cosine schedule */
    public int epochs() {
        return values.getInt(EPOCHS_CONFIG);
    }

    /** @return SGD momentum */
    public double sgdMomentum() {
        return values.getDouble(SGD_MOMENTUM_CONFIG);
    }

    /** @return weight decay */
    public double weightDecay() {
        return values.getDouble(WEIGHT_DECAY_CONFIG);
    }

    /** @return images per step */
    public int batchSize() {
        return values.getInt(BATCH_SIZE_CONFIG);
    }

    /** @return the seed */
    public long seed() {
        return values.getLong(SEED_CONFIG);
    }

    /** @return auto, cpu or gpu */
    public String device() {
        return values.getString(DEVICE_CONFIG);
    }

    /** @return intra-op threads, 0 = all cores */
    public int threads() {
        return values.getInt(THREADS_CONFIG);
    }

    /** @return the embedding dimension */
    public int lowDim() {
        return values.getInt(LOW_DIM_CONFIG);
    }

    /** @return smallest crop area fraction */
    public double cropScaleMin() {
        return values.getDouble(CROP_SCALE_MIN_CONFIG);
    }

    /** @return largest crop area fraction */
    public double cropScaleMax() {
        return values.getDouble(CROP_SCALE_MAX_CONFIG);
    }

    /** @return kNN neighbours */
    public int knnK() {
        return values.getInt(KNN_K_CONFIG);
    }

    /** @return kNN vote temperature */
    public double knnTemperature() {
        return values.getDouble(KNN_TEMPERATURE_CONFIG);
    }

    /** @return batches prepared ahead */
    public int loaderPrefetch() {
        return values.getInt(LOADER_PREFETCH_CONFIG);
    }

    /**
     * Returns the augmentation for images of the given output shape.
     *
     * @param size output side
     * @param channels output channels
     * @return the spec built from the crop, flip, colour and normalisation settings
     */
    public AugmentationSpec augmentation(final int size, final int channels) {
        final AugmentationSpec base = AugmentationSpec.defaults(size, channels);
        final float[] mean = floats(NORMALIZE_MEAN_CONFIG, base.mean(), channels);
        final float[] std = floats(NORMALIZE_STD_CONFIG, base.std(), channels);
        return new AugmentationSpec(size, channels, cropScaleMin(), cropScaleMax(), values.getBoolean(FLIP_CONFIG),
                values.getDouble(COLOR_JITTER_CONFIG), values.getDouble(GRAYSCALE_PROBABILITY_CONFIG), mean, std,
                Math.min(values.getInt(TRANSLATE_PIXELS_CONFIG), size - 1));
    }

    private float[] floats(final String key, final float[] fallback, final int channels) {
        final List<String> list = values.getList(key);
        if (list.isEmpty()) {
            return fallback;
        }
        if (list.size() != channels) {
            throw new ConfigException(key, list, "needs " + channels + " values for " + channels + "-channel images");
        }
        final float[] out = new float[channels];
        for (int i = 0; i < channels; i++) {
            out[i] = Float.parseFloat(list.get(i));
        }
        return out;
    }

    /**
     * Returns every effective value as strings (defaults included), e.g. for checkpoint provenance.
     *
     * @return a sorted map key to value
     */
    public Map<String, String> toMap() {
        final Map<String, String> out = new TreeMap<>();
        values.values().forEach((k, v) -> out.put(k, v instanceof List<?> l ? String.join(",",
                l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
        out.put(TEMPERATURE_CONFIG, String.valueOf(temperature()));
        if (values.getDouble(LR_CONFIG) == null) {
            out.put(LR_CONFIG, "0.01 for grey input, 0.03 for colour");
        }
        return out;
    }

    @Override
    public String toString() {
        return "TrainerConfig" + toMap();
    }
}
