package io.npid.trainer.train;

import static io.npid.trainer.train.TrainerKeys.*;

import io.npid.trainer.data.AugmentationSpec;
import io.npid.trainer.model.Backbones;
import java.util.List;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The declaration of the learner's settings: type, default, validator, importance and documentation of each key.
 *
 * <p>Why one file of this length: every learner setting is one declaration with its documentation; npid settings and
 * the README table are generated from them, so they stay together.
 */
final class TrainerDefinition {
    private static final ConfigDef.Validator POSITIVE_OR_NULL = (name, value) -> {
        if (value != null && !(((Number) value).doubleValue() > 0)) {
            throw new ConfigException(name, value, "must be greater than 0");
        }
    };
    private static final ConfigDef.Validator UNIT_INTERVAL = Range.between(0.0, 1.0);
    private static final ConfigDef.Validator CROP_FRACTION_OR_NULL = (name, value) -> {
        if (value != null) {
            final double v = ((Number) value).doubleValue();
            if (!(v >= 0.01 && v <= 1)) {
                throw new ConfigException(name, value, "must be in [0.01, 1]");
            }
        }
    };
    private static final ConfigDef.Validator FRACTION = (name, value) -> {
        final double v = ((Number) value).doubleValue();
        if (!(v >= 0 && v < 1)) {
            throw new ConfigException(name, value, "must be in [0, 1)");
        }
    };

    // Defaults that differ by input, each measured in docs/experiments.md: grey on Fashion-MNIST (R2, R10), colour
    // on the CIFAR-10 subset. NCE's grey rate: with the grey jitter NCE at 0.01 was 3.1 and 1.2 kNN points above
    // NCE at 0.02 after epochs 1 and 2 (R8); without the jitter the two rates were within 0.5 (R7).
    static final double GREY_LR = 0.02;
    static final double GREY_NCE_LR = 0.01;
    static final double COLOUR_LR = 0.03;
    static final double GREY_CROP_SCALE_MIN = 0.85;
    static final double COLOUR_CROP_SCALE_MIN = 0.5;

    static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    BACKBONE_CONFIG,
                    Type.STRING,
                    Backbones.SMALL_FLAT,
                    ValidString.in(Backbones.NAMES.toArray(String[]::new)),
                    Importance.HIGH,
                    "Encoder backbone: small-flat (SmallConvNet, last feature map flattened), small-flat-wide (the "
                            + "same 1.5 times as wide, 2.5 times the step's time on a CPU), small (SmallConvNet "
                            + "with global average pooling, design.md §1) or resnet18 (CIFAR-style). Default "
                            + "small-flat: 82.1% kNN after one Fashion-MNIST epoch against small's 76.4% "
                            + "(docs/experiments.md).")
            .define(
                    OBJECTIVE_CONFIG,
                    Type.STRING,
                    "softmax",
                    ValidString.in("softmax", "nce"),
                    Importance.HIGH,
                    "softmax (full non-parametric softmax over the bank) or nce (K sampled negatives). Default "
                            + "softmax.")
            .define(
                    TEMPERATURE_CONFIG,
                    Type.DOUBLE,
                    0.1,
                    POSITIVE_OR_NULL,
                    Importance.HIGH,
                    "Temperature T of the objective, softmax and nce alike; > 0. Default 0.1: on Fashion-MNIST NCE "
                            + "at the paper's 0.07 (tuned for ImageNet) ends 3.4 kNN points below 0.1; set 0.07 "
                            + "for the paper's value.")
            .define(
                    PROXIMAL_LAMBDA_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "The paper's proximal regularization (section 3.4): adds lambda * ||f - v||^2 to each sample's "
                            + "loss, f its feature and v its bank row before the step, which damps how far a "
                            + "sample's feature moves between visits; >= 0, 0 is off. Default 0.")
            .define(
                    NCE_K_CONFIG,
                    Type.INT,
                    4096,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "NCE negatives per sample, drawn uniformly from the bank. Default 4096, at least 1.")
            .define(
                    NCE_Z_GROWTH_CONFIG,
                    Type.DOUBLE,
                    0.1,
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "Re-estimate NCE's Z when the bank has grown by this fraction since the last estimate; "
                            + "0 keeps the first estimate. Default 0.1.")
            .define(
                    NCE_Z_MOMENTUM_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    FRACTION,
                    Importance.LOW,
                    "When > 0, Z follows every batch's estimate as an exponential moving average with this momentum "
                            + "(e.g. 0.99) instead of staying fixed; 0 keeps the paper's fixed Z. Default 0.")
            .define(
                    NCE_SIMILARITY_CONFIG,
                    Type.STRING,
                    "auto",
                    ValidString.in("auto", "gather", "product"),
                    Importance.LOW,
                    "How NCE with per-sample negatives computes v.f: gather (rows then batched "
                            + "product), product (f times the whole bank, then pick) or auto (cheaper for N and K); "
                            + "shared negatives always gather their B + K rows. Default auto.")
            .define(
                    NCE_NEGATIVES_CONFIG,
                    Type.STRING,
                    "auto",
                    ValidString.in("auto", "per-sample", "shared"),
                    Importance.MEDIUM,
                    "per-sample (the paper: K negatives drawn for every sample, B*K bank rows "
                            + "gathered per step), shared (one set of K negatives for the whole batch, B+K rows; "
                            + "the same estimator per sample, a step whose cost does not grow with the bank) or auto "
                            + "(per-sample up to npid.nce.shared.min.rows bank rows, shared above). Default auto.")
            .define(
                    NCE_SHARED_MIN_ROWS_CONFIG,
                    Type.INT,
                    200_000,
                    Range.atLeast(0),
                    Importance.LOW,
                    "With npid.nce.negatives=auto, the bank size above which NCE draws shared negatives "
                            + "(per-sample draws gather B*K random rows, 0.3x the step rate at 1M rows). "
                            + "Default 200000.")
            .define(
                    SOFTMAX_MAX_ROWS_CONFIG,
                    Type.INT,
                    250_000,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Above this many bank rows the softmax objective runs as NCE (npid.nce.*; the full softmax "
                            + "costs O(N) per step). Default 250000.")
            .define(
                    MOMENTUM_CONFIG,
                    Type.DOUBLE,
                    0.5,
                    FRACTION,
                    Importance.MEDIUM,
                    "Memory-bank momentum m in v <- normalize(m v + (1-m) f). Default 0.5, in [0, 1).")
            .define(
                    BANK_INIT_CONFIG,
                    Type.STRING,
                    "embedding",
                    ValidString.in("embedding", "random"),
                    Importance.MEDIUM,
                    "How a new image's bank row starts: embedding (its current f, queryable at "
                            + "once) or random (the paper's uniform rows). Default embedding.")
            // Defaults lr 0.01, crop 0.5-1, 2-px shift and a refresh every epoch: measured in docs/experiments.md
            // (Fashion-MNIST, 10k images, 3 epochs = the default npid local): kNN 67.7% with bank = recomputed
            // features, against 64.4% recomputed / 54.8% bank with the paper's lr 0.03, crop 0.2-1, no refresh.
            .define(
                    BANK_REFRESH_EPOCHS_CONFIG,
                    Type.INT,
                    1,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Re-embed every bank row with the current encoder (the paper's recomputed features) after "
                            + "every this-many epochs; 0 never. Default 1: the momentum bank lags the model and "
                            + "training against fresh rows learns faster (docs/experiments.md).")
            .define(
                    BANK_REFRESH_PAUSE_ROWS_CONFIG,
                    Type.INT,
                    100_000,
                    Range.atLeast(0),
                    Importance.LOW,
                    "A bank refresh of at most this many rows pauses training until it is done; a larger one is "
                            + "spread over the following steps (a slice per step, embedded by a frozen copy of the "
                            + "encoder, so the result equals a paused refresh). Default 100000.")
            .define(
                    BANK_REFRESH_SPREAD_EPOCHS_CONFIG,
                    Type.DOUBLE,
                    0.5,
                    (name, value) -> {
                        // not Range: it lets NaN through
                        final double v = ((Number) value).doubleValue();
                        if (!(v >= 0.01 && v <= 100)) {
                            throw new ConfigException(name, value, "must be in [0.01, 100] epochs");
                        }
                    },
                    Importance.LOW,
                    "A spread bank refresh ends within this many epochs of steps: each slice re-embeds bank rows "
                            + "/ (this x steps per epoch) rows, at least 32 (so 2 x batch rows at 0.5, batch rows "
                            + "at 1). Larger: cheaper steps meanwhile, staler rows for longer; the refresh's total "
                            + "cost per epoch is the same. At most npid.bank.refresh.epochs, so that a refresh "
                            + "ends before the next is due. Default 0.5.")
            .define(
                    BANK_DTYPE_CONFIG,
                    Type.STRING,
                    "float32",
                    ValidString.in("float32", "float16"),
                    Importance.LOW,
                    "Element type of the in-memory bank: float32, or float16 (half the bytes "
                            + "per row; rows are widened to float32 for every computation). Default float32.")
            .define(
                    LR_CONFIG,
                    Type.DOUBLE,
                    null,
                    POSITIVE_OR_NULL,
                    Importance.HIGH,
                    "SGD learning rate. Default 0.02 for grey input (with batch 64, 1.1-1.4 kNN points above 0.01 at "
                            + "batch 128 after each of Fashion-MNIST's first 3 epochs) but 0.01 for NCE on grey "
                            + "input (with the grey jitter NCE lost at 0.02, R8), 0.03 for colour input (3 points "
                            + "better than 0.01 on CIFAR-10 images after 30 epochs); docs/experiments.md.")
            .define(
                    LR_SCHEDULE_CONFIG,
                    Type.STRING,
                    "constant",
                    ValidString.in("constant", "step", "cosine"),
                    Importance.MEDIUM,
                    "Learning-rate schedule: constant (endless online training), step (times "
                            + "the decay factor at each decay epoch) or cosine (to 0 over npid.epochs). Default constant.")
            .define(
                    LR_DECAY_EPOCHS_CONFIG,
                    Type.LIST,
                    "",
                    Importance.LOW,
                    "Epochs at which the step schedule multiplies the rate by the decay factor, e.g. 120,160.")
            .define(
                    LR_DECAY_FACTOR_CONFIG,
                    Type.DOUBLE,
                    0.1,
                    POSITIVE_OR_NULL,
                    Importance.LOW,
                    "Step-schedule decay factor. Default 0.1.")
            .define(
                    LR_WARMUP_STEPS_CONFIG,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Steps of linear learning-rate warm-up from 0. Default 0.")
            .define(
                    EPOCHS_CONFIG,
                    Type.INT,
                    10,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Epochs of offline training and the cosine schedule's length. Default 10.")
            .define(SGD_MOMENTUM_CONFIG, Type.DOUBLE, 0.9, FRACTION, Importance.LOW, "SGD momentum. Default 0.9.")
            .define(
                    WEIGHT_DECAY_CONFIG,
                    Type.DOUBLE,
                    5e-4,
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "SGD weight decay (L2), applied to every parameter as torch.optim.SGD does. Default 5e-4.")
            .define(
                    EMA_DECAY_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    FRACTION,
                    Importance.LOW,
                    "Embed (bank refresh, queries, published checkpoints) with an exponential moving average of the "
                            + "trained weights, kept with this decay per step (e.g. 0.999: about the last 1,000 steps); "
                            + "0 embeds with the trained weights themselves. Default 0.")
            .define(
                    BATCH_SIZE_CONFIG,
                    Type.INT,
                    64,
                    Range.atLeast(2),
                    Importance.HIGH,
                    "Images per training step. Default 64 (more kNN accuracy per epoch than 128 on Fashion-MNIST, "
                            + "no less on CIFAR-10 images; docs/experiments.md), at least 2 (batch norm).")
            .define(
                    SEED_CONFIG,
                    Type.LONG,
                    42L,
                    Importance.MEDIUM,
                    "Seed of initialisation, negatives, shuffling and augmentation. Default 42.")
            .define(
                    DEVICE_CONFIG,
                    Type.STRING,
                    "auto",
                    ValidString.in("auto", "cpu", "gpu"),
                    Importance.MEDIUM,
                    "auto (GPU when present), cpu or gpu. Default auto.")
            .define(
                    THREADS_CONFIG,
                    Type.INT,
                    0,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "PyTorch intra-op threads; 0 uses every core. Default 0.")
            .define(
                    LOW_DIM_CONFIG,
                    Type.INT,
                    128,
                    Range.atLeast(2),
                    Importance.MEDIUM,
                    "Embedding dimension. Default 128.")
            .define(
                    CROP_SCALE_MIN_CONFIG,
                    Type.DOUBLE,
                    null,
                    CROP_FRACTION_OR_NULL,
                    Importance.MEDIUM,
                    "Smallest RandomResizedCrop area fraction. Default 0.85 for grey input (0.6-0.9 kNN points "
                            + "above 0.5 after each of Fashion-MNIST's first 3 epochs; 1, no crop, is better in "
                            + "runs of 5 epochs or more), 0.5 for colour input (the paper's 0.2 lost on both); "
                            + "docs/experiments.md.")
            .define(
                    CROP_SCALE_MAX_CONFIG,
                    Type.DOUBLE,
                    1.0,
                    Range.between(0.01, 1.0),
                    Importance.LOW,
                    "Largest RandomResizedCrop area fraction. Default 1.")
            .define(
                    TRANSLATE_PIXELS_CONFIG,
                    Type.INT,
                    2,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Random shift of the crop by up to this many pixels in x and y, zero-filled (small grey images "
                            + "such as Fashion-MNIST); 0 none. Default 2.")
            .define(FLIP_CONFIG, Type.BOOLEAN, true, Importance.LOW, "Random horizontal flip. Default true.")
            .define(
                    COLOR_JITTER_CONFIG,
                    Type.DOUBLE,
                    0.4,
                    UNIT_INTERVAL,
                    Importance.LOW,
                    "Colour-jitter strength: brightness and contrast, and for RGB images saturation and hue too "
                            + "(the paper's 0.4; on grey Fashion-MNIST it added 0.6 points on average over 14 epochs); 0 none. "
                            + "Default 0.4.")
            .define(
                    GRAYSCALE_PROBABILITY_CONFIG,
                    Type.DOUBLE,
                    0.2,
                    UNIT_INTERVAL,
                    Importance.LOW,
                    "Probability of turning an RGB crop grey. Default 0.2.")
            .define(
                    ERASE_PROBABILITY_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    UNIT_INTERVAL,
                    Importance.LOW,
                    "Probability of erasing a random rectangle (2-33% of the view) of each view, "
                            + "torchvision's RandomErasing; 0 none. Default 0.")
            .define(
                    ROTATE_DEGREES_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    Range.between(0.0, 180.0),
                    Importance.LOW,
                    "Random rotation of each view by up to this many degrees either way, about its centre, "
                            + "zero-filled (torchvision's RandomRotation); 0 none. Default 0.")
            .define(
                    BLUR_PROBABILITY_CONFIG,
                    Type.DOUBLE,
                    0.0,
                    UNIT_INTERVAL,
                    Importance.LOW,
                    "Probability of blurring each view with a Gaussian of sigma 0.1-2 and a kernel a tenth of its "
                            + "side (SimCLR's GaussianBlur); 0 none. Default 0.")
            .define(
                    NORMALIZE_MEAN_CONFIG,
                    Type.LIST,
                    "",
                    Importance.LOW,
                    "Per-channel mean for normalisation; empty = Fashion-MNIST (grey) or CIFAR-10 (RGB) values.")
            .define(
                    NORMALIZE_STD_CONFIG,
                    Type.LIST,
                    "",
                    Importance.LOW,
                    "Per-channel standard deviation for normalisation; empty = data-set defaults as for the mean.")
            .define(
                    KNN_K_CONFIG,
                    Type.INT,
                    200,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Neighbours in the weighted kNN vote. Default 200.")
            .define(
                    KNN_TEMPERATURE_CONFIG,
                    Type.DOUBLE,
                    0.07,
                    POSITIVE_OR_NULL,
                    Importance.MEDIUM,
                    "Temperature of the kNN vote weights exp(sim/T). Default 0.07.")
            .define(
                    LOADER_PREFETCH_CONFIG,
                    Type.INT,
                    4,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Augmented batches prepared ahead of the training thread. Default 4.");

    private TrainerDefinition() {}

    /** The rules between keys, which a ConfigDef validator (one key at a time) cannot check. */
    static void checkTogether(final AbstractConfig values) {
        final int refreshEvery = values.getInt(BANK_REFRESH_EPOCHS_CONFIG);
        if (refreshEvery > 0 && values.getDouble(BANK_REFRESH_SPREAD_EPOCHS_CONFIG) > refreshEvery) {
            throw new ConfigException(
                    BANK_REFRESH_SPREAD_EPOCHS_CONFIG,
                    values.getDouble(BANK_REFRESH_SPREAD_EPOCHS_CONFIG),
                    "must not exceed " + BANK_REFRESH_EPOCHS_CONFIG + " (" + refreshEvery
                            + "): a spread refresh must end before the next one is due");
        }
        final Double cropMin = values.getDouble(CROP_SCALE_MIN_CONFIG);
        if (cropMin != null && cropMin > values.getDouble(CROP_SCALE_MAX_CONFIG)) {
            throw new ConfigException(
                    CROP_SCALE_MIN_CONFIG,
                    cropMin,
                    "must not exceed " + CROP_SCALE_MAX_CONFIG + " (" + values.getDouble(CROP_SCALE_MAX_CONFIG) + ")");
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
        if (values.getList(NORMALIZE_MEAN_CONFIG).size()
                != values.getList(NORMALIZE_STD_CONFIG).size()) {
            throw new ConfigException(
                    NORMALIZE_STD_CONFIG,
                    values.getList(NORMALIZE_STD_CONFIG),
                    "needs as many values as " + NORMALIZE_MEAN_CONFIG);
        }
    }

    /**
     * Returns the smallest crop for a model's input: {@code npid.crop.scale.min}, else what was measured best for
     * that input, never above {@code npid.crop.scale.max}.
     *
     * @param values the settings
     * @param channels 1 (grey) or 3 (colour)
     * @return the smallest crop area fraction
     */
    static double cropScaleMin(final AbstractConfig values, final int channels) {
        final Double min = values.getDouble(CROP_SCALE_MIN_CONFIG);
        final double fallback = channels == 1 ? GREY_CROP_SCALE_MIN : COLOUR_CROP_SCALE_MIN;
        return min != null ? min : Math.min(fallback, values.getDouble(CROP_SCALE_MAX_CONFIG));
    }

    /** The augmentation of images of one output shape, from the crop, flip, colour, erasing, rotation, blur and normalisation settings. */
    static AugmentationSpec augmentation(final AbstractConfig values, final int size, final int channels) {
        final AugmentationSpec base = AugmentationSpec.defaults(size, channels);
        final float[] mean = floats(values, NORMALIZE_MEAN_CONFIG, base.mean(), channels);
        final float[] std = floats(values, NORMALIZE_STD_CONFIG, base.std(), channels);
        return new AugmentationSpec(
                size,
                channels,
                cropScaleMin(values, channels),
                values.getDouble(CROP_SCALE_MAX_CONFIG),
                values.getBoolean(FLIP_CONFIG),
                values.getDouble(COLOR_JITTER_CONFIG),
                values.getDouble(GRAYSCALE_PROBABILITY_CONFIG),
                mean,
                std,
                Math.min(values.getInt(TRANSLATE_PIXELS_CONFIG), size - 1),
                values.getDouble(ERASE_PROBABILITY_CONFIG),
                values.getDouble(ROTATE_DEGREES_CONFIG),
                values.getDouble(BLUR_PROBABILITY_CONFIG));
    }

    private static float[] floats(
            final AbstractConfig values, final String key, final float[] fallback, final int channels) {
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
}
