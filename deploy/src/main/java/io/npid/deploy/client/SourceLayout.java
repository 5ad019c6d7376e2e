package io.npid.deploy.client;

import io.npid.trainer.data.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a path given to {@code npid ingest}, {@code npid query} or {@code npid local} holds, and how it is read.
 *
 * @param root the path as given
 * @param kind what it is
 * @param classRoot the folder whose sub-folders are classes (the split's folder in a split layout); null for
 *     files and data sets
 * @param classNames class names by label: the sub-folders of classRoot (of both splits' folders in a split
 *     layout), sorted; empty when unlabelled
 * @param split the split read from a split layout or a data set, null otherwise
 */
public record SourceLayout(Path root, Kind kind, Path classRoot, List<String> classNames, Datasets.Split split) {
    /** The sub-folders that make a folder a split layout. */
    static final String TRAIN_DIR = "train";

    static final String TEST_DIR = "test";

    /** What a given path is. */
    public enum Kind {
        /** One image file. */
        FILE,
        /** A folder of images, with or without class sub-folders. */
        FOLDER,
        /** A folder with {@code train/} and {@code test/}, each a {@link #FOLDER}. */
        SPLIT_FOLDER,
        /** An IDX data set folder. */
        IDX,
        /** A CIFAR-10 binary data set folder. */
        CIFAR10
    }

    /** Copies the class names. */
    public SourceLayout {
        classNames = List.copyOf(classNames);
    }

    /** @return one line for people, e.g. {@code myimgs: 3 class folders (birds, cats, dogs), labelled by name} */
    public String describe() {
        final String splitName = split == null ? "" : split.name().toLowerCase(Locale.ROOT);
        final String classes = classNames.isEmpty()
                ? "no class sub-folders: unlabelled"
                : String.format(
                        Locale.ROOT,
                        "%d class folder%s (%s), labelled by folder name",
                        classNames.size(),
                        classNames.size() == 1 ? "" : "s",
                        abbreviate(classNames));
        return root + ": "
                + switch (kind) {
                    case FILE -> "one file";
                    case FOLDER -> classes;
                    case SPLIT_FOLDER ->
                        "train/ and test/ folders, reading " + splitName + "/ (--split "
                                + (split == Datasets.Split.TRAIN ? "test" : "train") + " reads the other); " + classes;
                    case IDX -> "IDX data set, " + splitName + " split, labelled";
                    case CIFAR10 -> "CIFAR-10 data set, " + splitName + " split, labelled";
                };
    }

    private static String abbreviate(final List<String> names) {
        final int shown = 8;
        return names.size() <= shown
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, shown)) + ", ... " + (names.size() - shown) + " more";
    }

    /**
     * Tells what a path holds.
     *
     * @param root a file or folder
     * @param split the split to read from a split layout or a data set
     * @return its layout
     * @throws NoSuchFileException when it does not exist
     * @throws IOException when its folder cannot be listed
     */
    public static SourceLayout of(final Path root, final Datasets.Split split) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString());
        }
        if (!Files.isDirectory(root)) {
            return new SourceLayout(root, Kind.FILE, null, List.of(), null);
        }
        final Optional<DataSources.Kind> dataSet = DataSources.dataSet(root);
        if (dataSet.isPresent()) {
            return new SourceLayout(
                    root, dataSet.get() == DataSources.Kind.IDX ? Kind.IDX : Kind.CIFAR10, null, List.of(), split);
        }
        final List<Path> subFolders = subFolders(root);
        final Path train = root.resolve(TRAIN_DIR);
        final Path test = root.resolve(TEST_DIR);
        if (subFolders.contains(train) && subFolders.contains(test)) {
            final TreeSet<String> names = new TreeSet<>(classNames(train));
            names.addAll(classNames(test));
            return new SourceLayout(
                    root, Kind.SPLIT_FOLDER, split == Datasets.Split.TEST ? test : train, List.copyOf(names), split);
        }
        return new SourceLayout(root, Kind.FOLDER, root, classNames(root), null);
    }

    /** The class sub-folders of a folder: every sub-folder but hidden ones and data sets, sorted by name. */
    private static List<String> classNames(final Path dir) throws IOException {
        final List<String> names = new ArrayList<>();
        for (Path sub : subFolders(dir)) {
            if (DataSources.dataSet(sub).isEmpty()) {
                names.add(sub.getFileName().toString());
            }
        }
        return names;
    }

    private static List<Path> subFolders(final Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> !hidden(p))
                    .sorted()
                    .toList();
        }
    }

    static boolean hidden(final Path path) {
        final Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
