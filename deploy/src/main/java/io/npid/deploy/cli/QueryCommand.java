package io.npid.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.npid.deploy.client.DataSources;
import io.npid.deploy.client.ImageEvents;
import io.npid.deploy.client.QueryClient;
import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.client.QueryRequest;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid query IMAGE...}: classifies images through the running pipeline and prints each answer: label,
 * class scores and nearest neighbours.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Classify images through the running pipeline; print label, class scores and nearest neighbours.")
public final class QueryCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** Either image files or images taken from a data set. */
    static final class Inputs {
        @Parameters(paramLabel = "IMAGE", description = "PNG or JPEG files to classify.")
        List<Path> files;

        @Option(names = "--from", paramLabel = "SOURCE",
            description = "Take the query images from a data set instead (IDX, CIFAR-10 or class folders).")
        Path from;
    }

    @Option(names = "--split", defaultValue = "TEST", paramLabel = "train|test",
        description = "With --from: which split (default ${DEFAULT-VALUE}).")
    Datasets.Split split;

    @Option(names = "--first", defaultValue = "10", paramLabel = "N",
        description = "With --from: how many images from the start of the split (default ${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--k", paramLabel = "K", description = "Neighbours that vote (default: the indexer's, 200).")
    Integer k;

    @Option(names = "--class-names", paramLabel = "NAMES",
        description = "Label names: fashion-mnist, cifar10, synthetic or a comma-separated list "
            + "(with --from: the data set's).")
    String classNames;

    @Option(names = "--neighbours", defaultValue = "5", paramLabel = "N",
        description = "Neighbours to print per query (default ${DEFAULT-VALUE}).")
    int neighbours;

    @Option(names = "--json", description = "Print the answers as one JSON array.")
    boolean json;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long to wait for an answer (default ${DEFAULT-VALUE} s).")
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
        final KafkaClientConfig config = kafka.toConfig();
        final List<QueryRequest> requests = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<Integer> truth = new ArrayList<>();
        List<String> labelNames = ClassNames.parse(classNames);
        final String run = UUID.randomUUID().toString().substring(0, 8);
        if (inputs.from != null) {
            final LabelledImages data = DataSources.load(inputs.from, split);
            labelNames = labelNames.isEmpty() ? List.of(data.classNames()) : labelNames;
            for (int i = 0; i < Math.min(first, data.size()); i++) {
                requests.add(new QueryRequest("q-" + run + "-" + i, ImageEvents.of(data.images().get(i),
                    ImageEncoding.RAW), k));
                names.add(DataSources.shortName(inputs.from) + "-" + split.name().toLowerCase(Locale.ROOT) + "-" + i);
                truth.add(data.labels()[i]);
            }
        } else {
            for (int i = 0; i < inputs.files.size(); i++) {
                requests.add(new QueryRequest("q-" + run + "-" + i, ImageEvents.ofFile(inputs.files.get(i)), k));
                names.add(inputs.files.get(i).toString());
                truth.add(null);
            }
        }
        final Progress progress = new Progress(spec.commandLine().getErr(), "query", "answers", requests.size());
        final List<QueryOutcome> outcomes;
        try (QueryClient client = new QueryClient(config, config.topics())) {
            outcomes = client.run(requests, 16, Duration.ofSeconds(timeoutSeconds), progress);
        }
        final QueryPrinter printer = new QueryPrinter(labelNames, neighbours);
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            final List<Object> rows = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                rows.add(printer.toJson(names.get(i), truth.get(i), outcomes.get(i)));
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            for (int i = 0; i < outcomes.size(); i++) {
                printer.print(out, names.get(i), truth.get(i), outcomes.get(i));
            }
        }
        out.flush();
        final long unanswered = outcomes.stream().filter(o -> !o.answered()).count();
        if (unanswered > 0) {
            throw new IncompleteRunException(unanswered + " of " + outcomes.size() + " queries got no answer within "
                + timeoutSeconds + " s; are the embedder and indexer running (npid local --serve)?");
        }
        return ExitCodes.OK;
    }
}
