package io.npid.deploy.cli;

import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.ImageSources;
import io.npid.deploy.client.ImageWalk;
import io.npid.deploy.client.IngestResult;
import io.npid.deploy.client.SkipReason;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.Progress;
import io.npid.deploy.process.SettingException;
import io.npid.schemas.Topics;
import io.npid.schemas.event.ImageEncoding;
import io.npid.schemas.kafka.SchemaTopic;
import io.npid.trainer.data.Datasets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid ingest PATH...}: sends images (files, folders, IDX and CIFAR-10 data sets) to the images topic,
 * unlabelled, and the classes their sources give them to the labels topic.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Send images to the images topic (unlabelled) and, where their source names a class, that class "
                    + "to the labels topic.",
            "PATH is an image file, a folder of images (read recursively: a file below a sub-folder is of that "
                    + "sub-folder's class, files directly inside are unlabelled; with train/ and test/ sub-folders, --split "
                    + "picks one), or an IDX (Fashion-MNIST) or CIFAR-10 folder. PNG and JPEG files are sent as they are; "
                    + "each file's id is the given folder's name and its path below it, e.g. myimgs/cats/tabby.jpg, so "
                    + "sending it again updates the same image. Files larger than npid.image.max.bytes (8 MiB) and files "
                    + "that are not PNG/JPEG are skipped, named, and counted; the rest goes on.",
            ""
        })
public final class IngestCommand implements Callable<Integer> {

    /** Image encodings the command writes decoded pixels in. */
    enum Encoding {
        RAW,
        PNG
    }

    @Mixin
    KafkaOptions kafka;

    @Parameters(
            arity = "1..*",
            paramLabel = "PATH",
            description = "Image files, folders of images, IDX or CIFAR-10 folders.")
    List<Path> paths;

    @Option(
            names = "--labels",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Send the class of each image whose source has one: its class folder's name, or the data "
                    + "set's label (default). --no-labels sends the images only.")
    boolean labels;

    @Option(
            names = "--split",
            defaultValue = "TRAIN",
            paramLabel = "train|test",
            description = "Which split of an IDX or CIFAR-10 data set, or of a folder with train/ and test/ "
                    + "(default ${DEFAULT-VALUE}).")
    Datasets.Split split;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "" + Long.MAX_VALUE,
            description = "Send only the first N images found.")
    long limit;

    @Option(
            names = "--encoding",
            defaultValue = "RAW",
            paramLabel = "raw|png",
            description = "How IDX and CIFAR-10 pixels are sent: RAW (default) or PNG. Image files are always sent as "
                    + "they are.")
    Encoding encoding;

    @Option(
            names = "--id-prefix",
            paramLabel = "PREFIX",
            description = "Replaces the folder name at the start of the ids (for a data set, the default "
                    + "<folder name>-<split>- before the index).")
    String idPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (limit < 1) {
            throw new SettingException("--limit", limit, "must be at least 1");
        }
        final KafkaClientConfig config = kafka.toConfig();
        final Topics topics = config.topics();
        final PrintWriter err = spec.commandLine().getErr();
        final ImageSources sources = new ImageSources(split, idPrefix, ImageEncoding.valueOf(encoding.name()), limit);
        long total = 0;
        final List<String> problems = new ArrayList<>();
        for (Path path : paths) {
            err.println("ingest: " + sources.layout(path).describe());
            sources.unusable(path).ifPresent(problems::add);
            total += sources.count(path);
        }
        if (!problems.isEmpty()) {
            throw new InputFilesException("ingest", problems);
        }
        err.flush();
        if (labels) {
            kafka.probe(config, topics.images().name(), topics.labels().name());
        } else {
            kafka.probe(config, topics.images().name());
        }
        final Progress progress = new Progress(err, "ingest", "images", Math.min(total, limit));
        final IngestResult result;
        try (SchemaTopic schemas = SchemaTopic.open(topics, config.with(Map.of()));
                DatasetIngestor ingestor = new DatasetIngestor(config, topics);
                ImageWalk walk = sources.walk(paths)) {
            final DatasetIngestor.Run run = ingestor.start(labels, null, progress, skipped -> {
                synchronized (err) {
                    err.println("ingest: skipped " + skipped.getMessage());
                    err.flush();
                }
            });
            try {
                while (walk.hasNext()) {
                    final ImageWalk.Found found = walk.next();
                    if (found.image() != null) {
                        run.send(found.image());
                    } else {
                        run.skip(found.skipped());
                    }
                }
                result = run.finish();
            } catch (KafkaException e) {
                err.println("ingest: " + e.getMessage());
                throw e;
            }
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "ingested %,d images%s from %s to %s in %s (%s images/s)%n",
                result.images(),
                labels ? String.format(Locale.ROOT, " and %,d labels", result.labels()) : "",
                names(paths),
                topics.images().name(),
                Progress.duration(result.seconds()),
                Progress.rate(result.imagesPerSecond()));
        if (result.skippedTotal() > 0) {
            final StringJoiner reasons = new StringJoiner(", ");
            for (SkipReason reason : SkipReason.values()) {
                final Long n = result.skipped().get(reason);
                if (n != null) {
                    reasons.add(String.format(Locale.ROOT, "%,d %s", n, reason.words()));
                }
            }
            out.printf(Locale.ROOT, "skipped %,d: %s%n", result.skippedTotal(), reasons);
        }
        out.flush();
        final long notSent = result.skippedTotal() - result.skipped().getOrDefault(SkipReason.NOT_AN_IMAGE, 0L);
        if (notSent > 0) {
            throw new IncompleteRunException(
                    notSent + " image file(s) were not sent (named above); the other " + result.images() + " were");
        }
        if (result.images() == 0) {
            throw new IncompleteRunException(
                    "no image found in " + names(paths) + ": PNG/JPEG files, IDX or " + "CIFAR-10 folders");
        }
        return ExitCodes.OK;
    }

    private static String names(final List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : paths.get(0) + " and " + (paths.size() - 1) + " more";
    }
}
