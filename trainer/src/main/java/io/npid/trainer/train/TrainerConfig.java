package io.npid.trainer.train;

import io.npid.schemas.config.ConfigReader;
import io.npid.trainer.data.AugmentationSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * The immutable, validated settings of the learner: model, objective, optimiser, augmentation and evaluation.
 *
 * <p>Built from a flat map (string or typed values); keys it does not declare are ignored, so one map can carry the
 * streaming and Kafka settings too ({@link #names()} lists the learner's keys). Every value is validated in the
 * constructor; a bad one fails with "Invalid value V for configuration K: reason" (Kafka's ConfigException).
 *
 * <p>Why one file of this length: one typed accessor per learner setting (declared in TrainerDefinition), each with
 * its Javadoc.
 */
public final class TrainerConfig implements TrainerKeys {
    /**
     * The namespaces only the learner declares keys in: an undeclared key there is a typo and fails, naming the
     * closest key ({@code npid.lrr} suggests {@code npid.lr}). Other {@code npid.*} keys belong to other settings
     * of the same map and are checked by the process's own config.
     */
    public static final List<String> OWN_PREFIXES = List.of(
            "npid.lr", "npid.nce.", "npid.bank.", "npid.crop.", "npid.normalize.", "npid.softmax.", "npid.sgd.");

    /** The smallest slice of a spread bank refresh (see {@link #bankRefreshSliceRows}). */
    public static final int MIN_SPREAD_SLICE_ROWS = 32;

    private static final ConfigDef CONFIG = TrainerDefinition.CONFIG;
    private final AbstractConfig values;

    /**
     * Validates a configuration map.
     *
     * @param originals the settings; undeclared keys are ignored, except in {@link #OWN_PREFIXES}
     * @throws ConfigException naming the key when a value is malformed or out of range, or when a key of the
     *     learner's namespaces is not declared (with the closest declared key)
     */
    public TrainerConfig(final Map<String, ?> originals) {
        // read as every npid config is: renames, unknown keys of the learner's own namespaces refused, values parsed
        this.values = ConfigReader.read(
                        CONFIG,
                        originals,
                        OWN_PREFIXES,
                        "npid settings trainer",
                        LoggerFactory.getLogger(TrainerConfig.class)::warn)
                .values();
        TrainerDefinition.checkTogether(values);
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

    /** @return the objective's temperature T (0.1 by default for both objectives) */
    public double temperature() {
        return values.getDouble(TEMPERATURE_CONFIG);
    }

    /** @return the weight lambda of the paper's proximal term, 0 when off */
    public double proximalLambda() {
        return values.getDouble(PROXIMAL_LAMBDA_CONFIG);
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

    /** @return per-sample, shared or auto ({@code npid.nce.negatives}) */
    public String nceNegatives() {
        return values.getString(NCE_NEGATIVES_CONFIG);
    }

    /**
     * Whether NCE draws one set of negatives per batch (shared) rather than the paper's per-sample negatives.
     *
     * @param bankRows the bank's rows now
     * @return true for shared negatives at this bank size
     */
    public boolean nceSharedNegatives(final int bankRows) {
        return switch (values.getString(NCE_NEGATIVES_CONFIG)) {
            case "shared" -> true;
            case "per-sample" -> false;
            default -> bankRows > values.getInt(NCE_SHARED_MIN_ROWS_CONFIG);
        };
    }

    /** @return the bank size above which the softmax objective runs as NCE */
    public int softmaxMaxRows() {
        return values.getInt(SOFTMAX_MAX_ROWS_CONFIG);
    }

    /** @return the largest bank whose refresh pauses training; larger ones are spread over steps */
    public int bankRefreshPauseRows() {
        return values.getInt(BANK_REFRESH_PAUSE_ROWS_CONFIG);
    }

    /** @return epochs of steps within which a spread bank refresh ends */
    public double bankRefreshSpreadEpochs() {
        return values.getDouble(BANK_REFRESH_SPREAD_EPOCHS_CONFIG);
    }

    /**
     * Rows per slice of a spread bank refresh, one slice after each step: the refresh of {@code rows} rows ends
     * within {@code npid.bank.refresh.spread.epochs} epochs of steps, an epoch being a pass over those rows in
     * batches. With epoch and refresh both over the bank this is about batch / spread epochs, whatever the bank's
     * size; it is at least {@link #MIN_SPREAD_SLICE_ROWS} (all rows when fewer), so that a small batch or a long
     * spread still embeds in chunks worth a forward pass and a small bank's refresh ends in a few steps.
     *
     * @param rows the rows the refresh re-embeds
     * @return rows per slice, at least 1 when rows is
     */
    public int bankRefreshSliceRows(final int rows) {
        final long stepsPerEpoch = (rows + (long) batchSize() - 1) / batchSize();
        final long steps = Math.max(1, (long) Math.floor(bankRefreshSpreadEpochs() * stepsPerEpoch));
        final long slice = (rows + steps - 1) / steps;
        return (int) Math.max(slice, Math.min(MIN_SPREAD_SLICE_ROWS, rows));
    }

    /** @return true when the in-memory bank stores float16 */
    public boolean bankHalfPrecision() {
        return "float16".equals(values.getString(BANK_DTYPE_CONFIG));
    }

    /** @return the decay of the embedding encoder's weight average, 0 when it embeds with the trained weights */
    public double emaDecay() {
        return values.getDouble(EMA_DECAY_CONFIG);
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
     * @return {@code npid.lr}, else the default for that input: 0.02 grey (0.01 with NCE), 0.03 colour
     */
    public double learningRate(final int inputChannels) {
        final Double lr = values.getDouble(LR_CONFIG);
        if (lr != null) {
            return lr;
        }
        if (inputChannels != 1) {
            return TrainerDefinition.COLOUR_LR;
        }
        return isNce() ? TrainerDefinition.GREY_NCE_LR : TrainerDefinition.GREY_LR;
    }

    /** @return constant, step or cosine */
    public String lrSchedule() {
        return values.getString(LR_SCHEDULE_CONFIG);
    }

    /** @return the epochs at which the step schedule decays */
    public int[] lrDecayEpochs() {
        return values.getList(LR_DECAY_EPOCHS_CONFIG).stream()
                .mapToInt(s -> (int) Double.parseDouble(s))
                .toArray();
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

    /**
     * Returns the smallest crop for a model's input.
     *
     * @param inputChannels 1 (grey) or 3 (colour)
     * @return {@code npid.crop.scale.min}, else the default for that input: 0.85 grey, 0.5 colour
     */
    public double cropScaleMin(final int inputChannels) {
        return TrainerDefinition.cropScaleMin(values, inputChannels);
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
        return TrainerDefinition.augmentation(values, size, channels);
    }

    /**
     * Returns every effective value as strings (defaults included), e.g. for checkpoint provenance.
     *
     * @return a sorted map key to value
     */
    public Map<String, String> toMap() {
        final Map<String, String> out = new TreeMap<>();
        values.values()
                .forEach((k, v) -> out.put(
                        k,
                        v instanceof List<?> l
                                ? String.join(
                                        ",", l.stream().map(String::valueOf).toList())
                                : String.valueOf(v)));
        out.put(TEMPERATURE_CONFIG, String.valueOf(temperature()));
        if (values.getDouble(LR_CONFIG) == null) {
            out.put(LR_CONFIG, learningRate(1) + " for grey input, " + learningRate(3) + " for colour");
        }
        if (values.getDouble(CROP_SCALE_MIN_CONFIG) == null) {
            out.put(CROP_SCALE_MIN_CONFIG, cropScaleMin(1) + " for grey input, " + cropScaleMin(3) + " for colour");
        }
        return out;
    }

    @Override
    public String toString() {
        return "TrainerConfig" + toMap();
    }
}
