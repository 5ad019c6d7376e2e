package io.npid.deploy.local;

import io.npid.deploy.client.DataSources;
import io.npid.deploy.client.ImageHeader;
import io.npid.deploy.client.ImageSources;
import io.npid.deploy.client.InputImage;
import io.npid.deploy.client.SkipReason;
import io.npid.deploy.client.SkippedImageException;
import io.npid.deploy.client.SourceLayout;
import io.npid.deploy.process.SettingException;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.DecodedImage;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The training and test images of a local run, where they came from, and the model input they call for.
 *
 * @param name short name, e.g. {@code fashion-mnist} or {@code synthetic}
 * @param description one line for the summary and the report
 * @param synthetic whether this is the built-in synthetic set
 * @param train images ingested for training (their labels go to the labels topic)
 * @param test images streamed as queries
 * @param classNames class names by label
 * @param input the model's input side and channels
 *
 * <p>Why one file of this length: each kind of input npid local takes (IDX, CIFAR-10, photo folders, synthetic)
 * becomes the same train/test pair here, so the choice of input reads in one place.
 */
public record LocalDataSet(
        String name,
        String description,
        boolean synthetic,
        LocalImages train,
        LocalImages test,
        List<String> classNames,
        ModelInput input) {

    /** Where Debian's dataset-fashion-mnist package installs Fashion-MNIST. */
    public static final Path DEFAULT_DATA = Datasets.FASHION_MNIST_DIR;

    /** Copies the class names. */
    public LocalDataSet {
        classNames = List.copyOf(classNames);
    }

    /**
     * Loads the data of a run: the given folder, else Fashion-MNIST where installed, else the synthetic set.
     *
     * <p>A folder of image files keeps only their paths: one with {@code train/} and {@code test/} sub-folders (each
     * with class sub-folders) uses that split; any other folder of class sub-folders gives a seeded random
     * hold-out of {@code --queries} images (at most a fifth), which is printed.
     *
     * @param config the run's settings ({@code data} null means "the default")
     * @param err where notices go (the synthetic fallback, the split used, skipped files)
     * @return the data
     * @throws IOException when a folder given explicitly cannot be read (no silent fallback then)
     */
    public static LocalDataSet load(final LocalConfig config, final PrintWriter err) throws IOException {
        if (config.synthetic()) {
            return synthetic(config);
        }
        if (config.data() == null && !Files.isDirectory(DEFAULT_DATA)) {
            err.println("npid local: Fashion-MNIST is not installed in " + DEFAULT_DATA + "; install it with");
            err.println("    sudo apt-get install dataset-fashion-mnist");
            err.println("  or pass --data DIR. Running on the built-in synthetic shapes instead.");
            err.flush();
            return synthetic(config);
        }
        final Path dir = config.data() == null ? DEFAULT_DATA : config.data();
        final SourceLayout layout =
                new ImageSources(Datasets.Split.TRAIN, null, ImageEncoding.RAW, Long.MAX_VALUE).layout(dir);
        return switch (layout.kind()) {
            case IDX, CIFAR10 -> pixels(dir, config, err);
            case FOLDER, SPLIT_FOLDER -> files(layout, config, err);
            case FILE ->
                throw new SettingException(
                        "--data",
                        dir,
                        "is a file; give a folder: IDX, CIFAR-10, or " + "images in one sub-folder per class");
        };
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
        return synthetic(trainCount, testCount, seed, null, null);
    }

    private static LocalDataSet synthetic(final LocalConfig config) {
        return synthetic(config.trainLimit(), config.queries(), config.seed(), config.imageSize(), config.channels());
    }

    private static LocalDataSet synthetic(
            final int trainCount,
            final int testCount,
            final long seed,
            final Integer imageSize,
            final Integer channels) {
        final LabelledImages all = Datasets.synthetic(trainCount + testCount, seed);
        final LabelledImages train = slice(all, 0, trainCount);
        final LabelledImages test = slice(all, trainCount, trainCount + testCount);
        return inMemory("synthetic", "synthetic shapes", "seed " + seed, true, train, test, imageSize, channels);
    }

    private static LocalDataSet pixels(final Path dir, final LocalConfig config, final PrintWriter err)
            throws IOException {
        final String name = DataSources.shortName(dir);
        final int[] batches = Datasets.cifar10TrainingBatches(dir);
        if (DataSources.detect(dir) == DataSources.Kind.CIFAR10
                && !Datasets.hasCifar10Test(dir)
                && batches.length > 1) {
            // a subset without the test batch: hold the last training batch out, as its README suggests
            final int held = batches[batches.length - 1];
            final LabelledImages train = Datasets.cifar10Batches(
                            dir, java.util.Arrays.copyOf(batches, batches.length - 1))
                    .head(config.trainLimit());
            final LabelledImages test = Datasets.cifar10Batches(dir, held).head(config.queries());
            err.printf(
                    Locale.ROOT,
                    "npid local: %s has no test_batch.bin: data_batch_%d held out as test queries "
                            + "(%,d), batches %s for training (%,d)%n",
                    dir,
                    held,
                    test.size(),
                    java.util.Arrays.toString(java.util.Arrays.copyOf(batches, batches.length - 1)),
                    train.size());
            return inMemory(name, name, dir.toString(), false, train, test, config.imageSize(), config.channels());
        }
        final LabelledImages train = DataSources.load(dir, Datasets.Split.TRAIN).head(config.trainLimit());
        final LabelledImages test = DataSources.load(dir, Datasets.Split.TEST).head(config.queries());
        return inMemory(name, name, dir.toString(), false, train, test, config.imageSize(), config.channels());
    }

    private static LocalDataSet inMemory(
            final String name,
            final String title,
            final String where,
            final boolean synthetic,
            final LabelledImages train,
            final LabelledImages test,
            final Integer imageSize,
            final Integer channels) {
        final DecodedImage first = train.images().get(0);
        final ModelInput input = new ModelInput(
                        first.width(),
                        first.channels(),
                        "the data set's images are " + first.width() + "x" + first.height() + "x" + first.channels())
                .with(imageSize, channels);
        final String description = String.format(
                Locale.ROOT,
                "%s (%s): %,d training and %,d test images, " + "%dx%dx%d, %d classes",
                title,
                where,
                train.size(),
                test.size(),
                first.width(),
                first.height(),
                first.channels(),
                train.classNames().length);
        return new LocalDataSet(
                name,
                description,
                synthetic,
                new LocalPixels(train, "train-", name),
                new LocalPixels(test, "test-", name),
                List.of(train.classNames()),
                input);
    }

    /** A folder of image files: the paths, split and counted, and the model input their headers call for. */
    private static LocalDataSet files(final SourceLayout layout, final LocalConfig config, final PrintWriter err)
            throws IOException {
        final Path dir = layout.root();
        if (layout.classNames().isEmpty()) {
            throw new SettingException(
                    "--data",
                    dir,
                    "has no class sub-folders; npid local measures accuracy "
                            + "with labels: give a folder with one sub-folder of images per class, or train/ and test/ with "
                            + "class sub-folders (npid ingest sends unlabelled folders)");
        }
        final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
        final List<InputImage.File> train;
        final List<InputImage.File> test;
        if (layout.kind() == SourceLayout.Kind.SPLIT_FOLDER) {
            train = head(
                    shuffled(labelledFiles(dir, Datasets.Split.TRAIN, skipped), config.seed()), config.trainLimit());
            test = head(shuffled(labelledFiles(dir, Datasets.Split.TEST, skipped), config.seed()), config.queries());
            err.printf(
                    Locale.ROOT,
                    "npid local: %s has train/ and test/ folders: %,d training images from train/, "
                            + "%,d test queries from test/%n",
                    dir,
                    train.size(),
                    test.size());
        } else {
            final List<InputImage.File> all =
                    shuffled(labelledFiles(dir, Datasets.Split.TRAIN, skipped), config.seed());
            final int testCount = Math.min(config.queries(), all.size() / 5);
            test = all.subList(0, testCount);
            train = head(all.subList(testCount, all.size()), config.trainLimit());
            err.printf(
                    Locale.ROOT,
                    "npid local: %s has no train/ and test/ folders: %,d of its %,d labelled images "
                            + "held out at random (seed %d) as test queries, %,d for training%n",
                    dir,
                    test.size(),
                    all.size(),
                    config.seed(),
                    train.size());
        }
        if (!skipped.isEmpty()) {
            err.println("npid local: left out " + skipped + " (files that npid ingest would skip too)");
        }
        if (train.size() < 2 || test.isEmpty()) {
            throw new SettingException(
                    "--data",
                    dir,
                    "has " + train.size() + " training and " + test.size()
                            + " test images; a local run needs at least 2 and 1 (5 labelled images without train/ and test/)");
        }
        final ModelInput input = inferInput(train, test).with(config.imageSize(), config.channels());
        final String name = DataSources.shortName(dir);
        final String description = String.format(
                Locale.ROOT,
                "%s (%s): %,d training and %,d test images (files), " + "model input %dx%dx%d (%s), %d classes",
                name,
                dir,
                train.size(),
                test.size(),
                input.size(),
                input.size(),
                input.channels(),
                input.why(),
                layout.classNames().size());
        return new LocalDataSet(
                name, description, false, new LocalFiles(train), new LocalFiles(test), layout.classNames(), input);
    }

    /**
     * The labelled image files of a split (unlabelled ones directly in the folder cannot be scored), leaving out
     * and counting those npid would refuse: larger than the image limit, or not images by name.
     */
    private static List<InputImage.File> labelledFiles(
            final Path dir, final Datasets.Split split, final Map<SkipReason, Integer> skipped) throws IOException {
        final List<InputImage.File> files = new ArrayList<>();
        new ImageSources(split, null, ImageEncoding.RAW, Long.MAX_VALUE).walk(dir, new ImageSources.Visitor() {
            @Override
            public void image(final InputImage image) {
                final InputImage.File file = (InputImage.File) image;
                if (!file.labelled()) {
                    return;
                }
                try {
                    if (Files.size(file.path()) > Topics.DEFAULT_IMAGE_MAX_BYTES) {
                        skipped.merge(SkipReason.TOO_LARGE, 1, Integer::sum);
                        return;
                    }
                } catch (IOException e) {
                    skipped.merge(SkipReason.UNREADABLE, 1, Integer::sum);
                    return;
                }
                files.add(file);
            }

            @Override
            public void skipped(final SkippedImageException skip) {
                skipped.merge(skip.reason(), 1, Integer::sum);
            }
        });
        return files;
    }

    /** Sorted by id, then shuffled with the seed: the same split on every machine, whatever the walk order. */
    private static List<InputImage.File> shuffled(final List<InputImage.File> files, final long seed) {
        final List<InputImage.File> out = new ArrayList<>(files);
        out.sort(Comparator.comparing(InputImage.File::id));
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    private static List<InputImage.File> head(final List<InputImage.File> files, final int n) {
        return files.subList(0, Math.min(n, files.size()));
    }

    /** Sizes the model from the files' headers (files whose header cannot be read are left to the trainer). */
    private static ModelInput inferInput(final List<InputImage.File> train, final List<InputImage.File> test) {
        final List<ImageHeader> headers = new ArrayList<>();
        for (List<InputImage.File> files : List.of(train, test)) {
            for (InputImage.File file : files) {
                try {
                    headers.add(ImageHeader.read(file.path()));
                } catch (IOException e) {
                    // counted nowhere: the trainer dead-letters it with its reason if it cannot decode it either
                }
            }
        }
        return ModelInput.infer(headers);
    }

    private static LabelledImages slice(final LabelledImages all, final int from, final int to) {
        return new LabelledImages(
                all.images().subList(from, to), Arrays.copyOfRange(all.labels(), from, to), all.classNames());
    }
}
