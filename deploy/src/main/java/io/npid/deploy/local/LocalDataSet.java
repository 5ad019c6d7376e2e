package io.npid.deploy.local;

import io.npid.deploy.client.DataSources;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training and test images of a local run, and where they came from.
 *
 * @param name short name, e.g. {@code fashion-mnist} or {@code synthetic}
 * @param description one line for the summary and the report
 * @param synthetic whether this is the built-in synthetic set
 * @param train images ingested for training (their labels go to the labels topic)
 * @param test images streamed as queries
 */
public record LocalDataSet(String name, String description, boolean synthetic, LabelledImages train,
    LabelledImages test) {

    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path DEFAULT_DATA = Datasets.FASHION_MNIST_DIR;

    /**
     * Loads the data of a run: the given folder, else Fashion-MNIST where installed, else the synthetic set.
     *
     * @param config the run's settings ({@code data} null means "the default")
     * @param err where the notice about the synthetic fallback goes
     * @return the data
     * @throws IOException when a folder given explicitly cannot be read (no silent fallback then)
     */
    public static LocalDataSet load(final LocalConfig config, final PrintWriter err) throws IOException {
        if (config.synthetic()) {
            return synthetic(config.trainLimit(), config.queries(), config.seed());
        }
        if (config.data() == null && !Files.isDirectory(DEFAULT_DATA)) {
            err.println("npid local: Fashion-MNIST is not installed in " + DEFAULT_DATA + "; install it with");
            err.println("    sudo apt-get install dataset-fashion-mnist");
            err.println("  or pass --data DIR. Running on the built-in synthetic shapes instead.");
            err.flush();
            return synthetic(config.trainLimit(), config.queries(), config.seed());
        }
        final Path dir = config.data() == null ? DEFAULT_DATA : config.data();
        final String name = DataSources.shortName(dir);
        if (DataSources.detect(dir) == DataSources.Kind.FOLDER) {
            return splitFolder(name, dir, Datasets.folder(dir), config);
        }
        final LabelledImages train = DataSources.load(dir, Datasets.Split.TRAIN).head(config.trainLimit());
        final LabelledImages test = DataSources.load(dir, Datasets.Split.TEST).head(config.queries());
        return new LocalDataSet(name, describe(name, dir.toString(), train, test), false, train, test);
    }

    /**
     * The seeded synthetic shapes: ten classes, drawn with random position, scale, rotation and noise.
     *
     * @param trainCount training images
     * @param testCount test images
     * @param seed generator seed
     * @return the data
     */
    public static LocalDataSet synthetic(final int trainCount, final int testCount, final long seed) {
        final LabelledImages all = Datasets.synthetic(trainCount + testCount, seed);
        final LabelledImages train = slice(all, 0, trainCount);
        final LabelledImages test = slice(all, trainCount, trainCount + testCount);
        return new LocalDataSet("synthetic", describe("synthetic shapes", "seed " + seed, train, test), true,
            train, test);
    }

    private static LocalDataSet splitFolder(final String name, final Path dir, final LabelledImages all,
        final LocalConfig config) {
        // class folders come in class order: shuffle once (seeded) before holding out the queries
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(config.seed()));
        final int testCount = Math.min(config.queries(), all.size() / 5);
        final int trainCount = Math.min(config.trainLimit(), all.size() - testCount);
        final LabelledImages test = pick(all, order.subList(0, testCount));
        final LabelledImages train = pick(all, order.subList(testCount, testCount + trainCount));
        return new LocalDataSet(name, describe(name, dir.toString(), train, test), false, train, test);
    }

    private static LabelledImages pick(final LabelledImages all, final List<Integer> indices) {
        final List<DecodedImage> images = new ArrayList<>(indices.size());
        final int[] labels = new int[indices.size()];
        for (int i = 0; i < indices.size(); i++) {
            images.add(all.images().get(indices.get(i)));
            labels[i] = all.labels()[indices.get(i)];
        }
        return new LabelledImages(images, labels, all.classNames());
    }

    private static LabelledImages slice(final LabelledImages all, final int from, final int to) {
        return new LabelledImages(all.images().subList(from, to), Arrays.copyOfRange(all.labels(), from, to),
            all.classNames());
    }

    private static String describe(final String name, final String where, final LabelledImages train,
        final LabelledImages test) {
        final DecodedImage first = train.images().get(0);
        return String.format(java.util.Locale.ROOT, "%s (%s): %,d training and %,d test images, %dx%dx%d, "
            + "%d classes", name, where, train.size(), test.size(), first.width(), first.height(), first.channels(),
            train.classNames().length);
    }

    /** @return class names by label */
    public List<String> classNames() {
        return List.of(train.classNames());
    }
}
