package io.npid.deploy.client;

import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the images under the paths given to {@code npid ingest} and {@code npid query}, one at a time, so that a
 * folder of 100,000 photos is walked, never held.
 *
 * <p>What a given path holds ({@link SourceLayout}):
 * <ul>
 * <li>a file: one image, unlabelled, its id the file name;</li>
 * <li>an IDX or CIFAR-10 folder: the images of one split with their labels, ids {@code <name>-<split>-00042};</li>
 * <li>a folder with {@code train/} and {@code test/} sub-folders: the chosen split's folder, read as below;</li>
 * <li>any other folder, recursively: each file below a sub-folder is of that sub-folder's class (its name is the
 * class name), files directly inside are unlabelled, and an IDX or CIFAR-10 folder met on the way is read as
 * one.</li>
 * </ul>
 * The id of a file below a given folder is the folder's name and the path below it, joined with {@code /}, e.g.
 * {@code myimgs/cats/tabby.jpg}: what the user sees from the folder above, stable across runs, so that sending a
 * file again updates its bank row. {@code --id-prefix} replaces the folder's name (and the slash). Hidden folders
 * (names starting with a dot) are not entered.
 *
 * <p>Why one file of this length: walking, counting and checking a path follow the same layout rules ({@link
 * SourceLayout}) and must find the same files.
 */
public final class ImageSources {
    /** Receives what a walk finds, in walk order. */
    public interface Visitor {
        /**
         * An image to send.
         *
         * @param image the image
         */
        void image(InputImage image);

        /**
         * A file that is not an image by its name, or a file or folder that could not be read.
         *
         * @param skipped the path, why and what exactly
         */
        void skipped(SkippedImageException skipped);
    }

    private final Datasets.Split split;
    private final String idPrefix;
    private final ImageEncoding rawEncoding;
    private final long limit;
    private long found;

    /**
     * Sets up walks.
     *
     * @param split which split of a data set or split layout
     * @param idPrefix replaces the given folder's name (with its slash) at the start of every id, or for a data set
     *     the default {@code <name>-<split>-}; null for the defaults
     * @param rawEncoding how decoded pixels (IDX, CIFAR-10) are sent: RAW or PNG
     * @param limit the most images all walks of this instance together find
     */
    public ImageSources(
            final Datasets.Split split, final String idPrefix, final ImageEncoding rawEncoding, final long limit) {
        this.split = split;
        this.idPrefix = idPrefix;
        this.rawEncoding = rawEncoding;
        this.limit = limit;
    }

    /**
     * Tells what a path holds.
     *
     * @param root a file or folder
     * @return its layout
     * @throws NoSuchFileException when it does not exist
     * @throws IOException when its folder cannot be listed
     */
    public SourceLayout layout(final Path root) throws IOException {
        return SourceLayout.of(root, split);
    }

    /**
     * Says why a path given on the command line cannot give a single image, before anything is sent: a file that
     * cannot be read or is not a PNG/JPEG file (by its name, or by its first bytes), a folder with no image file.
     * Files met inside a folder are not looked at here: the walk skips and counts them.
     *
     * @param root a file or folder as given, which exists
     * @return the reason, or empty when the path may give images
     * @throws IOException when a folder cannot be listed
     */
    public Optional<String> unusable(final Path root) throws IOException {
        final SourceLayout layout = layout(root);
        if (layout.kind() != SourceLayout.Kind.FILE) {
            return count(root) > 0 || found >= limit
                    ? Optional.empty()
                    : Optional.of(root + ": no PNG or JPEG file in it"
                            + (layout.kind() == SourceLayout.Kind.SPLIT_FOLDER
                                    ? " (in " + layout.classRoot().getFileName() + "/)"
                                    : ""));
        }
        if (!ImageFormat.hasImageName(root)) {
            return Optional.of(root + ": not a PNG or JPEG file (its name does not end in .png, .jpg or .jpeg)");
        }
        final byte[] head;
        try (java.io.InputStream in = Files.newInputStream(root)) {
            head = in.readNBytes(8);
        } catch (IOException e) {
            return Optional.of(root + ": cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(root.toString()) ? "" : ": " + e.getMessage())
                    + ")");
        }
        if (head.length == 0) {
            return Optional.of(root + ": an empty file, not an image");
        }
        return ImageFormat.sniff(head).isPresent()
                ? Optional.empty()
                : Optional.of(root + ": not a PNG or JPEG image (its bytes are neither)");
    }

    /**
     * Walks a path and reports every image (up to this instance's limit) and every file it skips.
     *
     * @param root a file or folder as given
     * @param visitor receives images and skips
     * @throws IOException when the path cannot be read at all, or a data set in it is malformed
     */
    public void walk(final Path root, final Visitor visitor) throws IOException {
        final SourceLayout layout = layout(root);
        switch (layout.kind()) {
            case FILE -> {
                if (found >= limit) {
                    return;
                }
                if (ImageFormat.hasImageName(root)) {
                    found++;
                    final Path name = root.getFileName();
                    visitor.image(new InputImage.File(prefix("") + (name == null ? root : name), root, -1, null));
                } else {
                    visitor.skipped(notAnImage(root));
                }
            }
            case IDX, CIFAR10 ->
                dataSet(
                        root,
                        idPrefix != null ? idPrefix : DataSources.shortName(root) + "-" + splitName() + "-",
                        visitor);
            case FOLDER, SPLIT_FOLDER -> walkFolder(layout, visitor);
        }
    }

    /**
     * Counts what {@link #walk} would find, without reading any image (for a progress total): files with an
     * image name, and data sets' sizes from their headers.
     *
     * @param root a file or folder as given
     * @return the count, at most the limit
     * @throws IOException when the path cannot be read
     */
    public long count(final Path root) throws IOException {
        final SourceLayout layout = layout(root);
        final long n = switch (layout.kind()) {
            case FILE -> ImageFormat.hasImageName(root) ? 1 : 0;
            case IDX, CIFAR10 -> DataSources.count(root, split);
            case FOLDER, SPLIT_FOLDER -> {
                final long[] files = {0};
                Files.walkFileTree(
                        layout.classRoot(),
                        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                        Integer.MAX_VALUE,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
                                    throws IOException {
                                if (dir.equals(layout.classRoot())) {
                                    return FileVisitResult.CONTINUE;
                                }
                                if (SourceLayout.hidden(dir)) {
                                    return FileVisitResult.SKIP_SUBTREE;
                                }
                                if (DataSources.dataSet(dir).isPresent()) {
                                    files[0] += DataSources.count(dir, split);
                                    return FileVisitResult.SKIP_SUBTREE;
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
                                files[0] += ImageFormat.hasImageName(file) ? 1 : 0;
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(final Path file, final IOException e) {
                                return FileVisitResult.CONTINUE;
                            }
                        });
                yield files[0];
            }
        };
        return Math.min(n, limit);
    }

    private void walkFolder(final SourceLayout layout, final Visitor visitor) throws IOException {
        final Path root = layout.root();
        final Path classRoot = layout.classRoot();
        final String base = prefix(folderName(root) + "/");
        Files.walkFileTree(
                classRoot, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
                            throws IOException {
                        if (found >= limit) {
                            return FileVisitResult.TERMINATE;
                        }
                        if (dir.equals(classRoot)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (SourceLayout.hidden(dir)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (DataSources.dataSet(dir).isPresent()) {
                            dataSet(dir, base + relative(root, dir) + "-" + splitName() + "-", visitor);
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
                        if (found >= limit) {
                            return FileVisitResult.TERMINATE;
                        }
                        if (!ImageFormat.hasImageName(file)) {
                            visitor.skipped(notAnImage(file));
                            return FileVisitResult.CONTINUE;
                        }
                        final Path below = classRoot.relativize(file);
                        final String className =
                                below.getNameCount() > 1 ? below.getName(0).toString() : null;
                        found++;
                        visitor.image(new InputImage.File(
                                base + relative(root, file),
                                file,
                                className == null ? -1 : layout.classNames().indexOf(className),
                                className));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(final Path file, final IOException e) {
                        visitor.skipped(new SkippedImageException(
                                SkipReason.UNREADABLE,
                                file.toString(),
                                e.getClass().getSimpleName()
                                        + (e.getMessage() == null
                                                        || e.getMessage().equals(file.toString())
                                                ? ""
                                                : ": " + e.getMessage())));
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private void dataSet(final Path dir, final String prefix, final Visitor visitor) throws IOException {
        final LabelledImages data = DataSources.load(dir, split);
        for (int i = 0; i < data.size() && found < limit; i++, found++) {
            final int label = data.labels()[i];
            visitor.image(new InputImage.Pixels(
                    String.format(Locale.ROOT, "%s%05d", prefix, i),
                    dir + " " + splitName() + " #" + i,
                    data.images().get(i),
                    rawEncoding,
                    label,
                    data.classNames()[label]));
        }
    }

    /**
     * Walks paths on a thread of its own and hands out what it finds, a bounded number ahead: the caller pulls
     * images (e.g. as queries are answered) while the walk reads the folders.
     *
     * @param roots files and folders as given
     * @return the walk; close it to stop early
     */
    public ImageWalk walk(final List<Path> roots) {
        return new ImageWalk(this, roots);
    }

    private static SkippedImageException notAnImage(final Path file) {
        return new SkippedImageException(SkipReason.NOT_AN_IMAGE, file.toString(), "not a .png, .jpg or .jpeg file");
    }

    private String prefix(final String byDefault) {
        return idPrefix != null ? idPrefix : byDefault;
    }

    private String splitName() {
        return split.name().toLowerCase(Locale.ROOT);
    }

    /** The last name of a folder as given ({@code .} and {@code ..} resolved), as it is: ids keep the case. */
    static String folderName(final Path dir) {
        final Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? "root" : name.toString();
    }

    private static String relative(final Path root, final Path path) {
        final List<String> parts = new ArrayList<>();
        root.relativize(path).forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }
}
