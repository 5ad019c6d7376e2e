package io.npid.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.client.ImageFormat;
import io.npid.deploy.client.ImageSources;
import io.npid.deploy.client.ImageWalk;
import io.npid.deploy.client.InputImage;
import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryFeed;
import io.npid.deploy.client.QueryOutcome;
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
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid query PATH...}: classifies images through the running pipeline, a window of queries in flight, and
 * prints each answer as it comes: class, vote shares and nearest neighbours (by id: the path a file was ingested
 * under), one JSON object per line with {@code --json}.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Classify images through the running pipeline; print class, vote and nearest neighbours for "
                    + "each, as the answers come (one JSON object per line with --json).",
            "PATH is an image file, a folder of images (read recursively; a class folder's name is the image's true "
                    + "class), or an IDX or CIFAR-10 folder. A file that cannot be sent (too large, unreadable, not PNG/JPEG) "
                    + "gets a 'skipped' line and the rest goes on.",
            ""
        })
public final class QueryCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Parameters(
            arity = "0..*",
            paramLabel = "PATH",
            description = "PNG or JPEG files, folders of them, IDX or CIFAR-10 folders.")
    List<Path> paths = new ArrayList<>();

    @Option(
            names = "--from",
            paramLabel = "SOURCE",
            description = "Take the first --first images of a data set (IDX, CIFAR-10 or class folders) instead.")
    Path from;

    @Option(
            names = "--split",
            defaultValue = "TEST",
            paramLabel = "train|test",
            description = "Which split of a data set, or of a folder with train/ and test/ (default ${DEFAULT-VALUE}).")
    Datasets.Split split;

    @Option(
            names = "--first",
            defaultValue = "10",
            paramLabel = "N",
            description = "With --from: how many images from the start of the split (default ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--k", paramLabel = "K", description = "Neighbours that vote (default: the indexer's, 200).")
    Integer k;

    @Option(
            names = "--class-names",
            paramLabel = "NAMES",
            description = "Names of numeric labels, for results that carry no class names: fashion-mnist, cifar10, "
                    + "synthetic or a comma-separated list (default: with --from or a data set folder, its names).")
    String classNames;

    @Option(
            names = "--neighbours",
            defaultValue = "5",
            paramLabel = "N",
            description = "Neighbours to print per query (default ${DEFAULT-VALUE}).")
    int neighbours;

    @Option(names = "--json", description = "Print one JSON object per image and line (JSON lines).")
    boolean json;

    @Option(
            names = "--in-flight",
            defaultValue = "16",
            paramLabel = "N",
            description = "Queries sent before their answers came, at most (default ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(
            names = "--timeout",
            defaultValue = "60",
            paramLabel = "SECONDS",
            description = "How long to wait for the next answer before giving up on the rest (default "
                    + "${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (k != null && k < 1) {
            throw new SettingException("--k", k, "must be at least 1");
        }
        if (first < 1) {
            throw new SettingException("--first", first, "must be at least 1");
        }
        if (inFlight < 1) {
            throw new SettingException("--in-flight", inFlight, "must be at least 1");
        }
        if (paths.isEmpty() == (from == null)) {
            throw new SettingException(
                    "--from",
                    from == null ? "(none)" : from,
                    "give the images to classify as PATHs or take them from a data set with --from, not both");
        }
        final KafkaClientConfig config = kafka.toConfig();
        final Topics topics = config.topics();
        final List<Path> roots = from != null ? List.of(from) : paths;
        final ImageSources sources =
                new ImageSources(split, null, ImageEncoding.RAW, from != null ? first : Long.MAX_VALUE);
        final PrintWriter err = spec.commandLine().getErr();
        long total = 0;
        final List<String> problems = new ArrayList<>();
        for (Path root : roots) {
            err.println("query: " + sources.layout(root).describe());
            sources.unusable(root).ifPresent(problems::add);
            total += sources.count(root);
        }
        if (!problems.isEmpty()) {
            throw new InputFilesException("query", problems);
        }
        err.flush();
        kafka.probe(config, topics.queries().name(), topics.results().name());
        final List<String> given = ClassNames.parse(classNames);
        // without --class-names, numeric labels are named as the query data set names them
        final List<String> names = given.isEmpty() ? new ArrayList<>() : given;
        final PrintWriter out = spec.commandLine().getOut();
        final QueryPrinter printer = new QueryPrinter(names, neighbours);
        final ObjectMapper mapper = new ObjectMapper();
        final Counts counts = new Counts();
        final Progress progress = new Progress(err, "query", "answers", total);
        try (SchemaTopic schemas = SchemaTopic.open(topics, config.with(Map.of()));
                QueryClient client = new QueryClient(config, topics);
                ImageWalk walk = sources.walk(roots)) {
            final QueryFeed feed = new QueryFeed(
                    walk,
                    topics.imageMaxBytes(),
                    k,
                    UUID.randomUUID().toString().substring(0, 8),
                    skip -> {
                        if (skip.reason() == SkipReason.NOT_AN_IMAGE
                                && !ImageFormat.hasImageName(Path.of(skip.location()))) {
                            err.println("query: skipped " + skip.getMessage()); // not an image file: no answer line
                            return;
                        }
                        counts.skipped++;
                        if (json) {
                            out.println(jsonLine(mapper, printer.skippedJson(skip)));
                        } else {
                            printer.printSkipped(out, skip);
                        }
                        out.flush();
                    });
            client.stream(feed, inFlight, Duration.ofSeconds(timeoutSeconds), progress, new QueryClient.Listener() {
                @Override
                public void outcome(final QueryOutcome outcome) {
                    final InputImage image = feed.answered(outcome.queryId());
                    // a data set's numbers are the ones it was ingested with; a folder's are its own
                    if (given.isEmpty() && image.labelled() && image instanceof InputImage.Pixels) {
                        learn(names, image.label(), image.className());
                    }
                    counts.answered += outcome.answered() ? 1 : 0;
                    counts.unanswered += outcome.answered() ? 0 : 1;
                    if (json) {
                        out.println(jsonLine(mapper, printer.toJson(image.location(), image.className(), outcome)));
                    } else {
                        printer.print(out, image.location(), image.className(), outcome);
                    }
                    out.flush();
                }

                @Override
                public void duplicate(final String queryId) {
                    counts.duplicates++;
                }
            });
        }
        out.flush();
        progress.finish();
        if (counts.answered + counts.unanswered + counts.skipped == 0) {
            throw new IncompleteRunException(
                    "no image found in " + roots + ": PNG/JPEG files, IDX or CIFAR-10 " + "folders");
        }
        if (counts.unanswered > 0) {
            throw new IncompleteRunException(counts.unanswered + " of " + (counts.answered + counts.unanswered)
                    + " queries got no answer within " + timeoutSeconds + " s; are the embedder and indexer running "
                    + "(npid local --serve)?");
        }
        if (counts.skipped > 0) {
            throw new IncompleteRunException(counts.skipped + " image file(s) were not sent (see their lines); the "
                    + "other " + counts.answered + " were answered");
        }
        return ExitCodes.OK;
    }

    /** Names a numeric label as the query images' source does, where no name is known for it yet. */
    private static void learn(final List<String> names, final int label, final String className) {
        while (names.size() <= label) {
            names.add(null);
        }
        if (names.get(label) == null) {
            names.set(label, className);
        }
    }

    private static String jsonLine(final ObjectMapper mapper, final Map<String, Object> value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the run printed, counted. */
    private static final class Counts {
        private long answered;
        private long unanswered;
        private long skipped;
        private long duplicates;
    }
}
