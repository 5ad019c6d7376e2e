package io.npid.deploy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.npid.deploy.client.RecordJson;
import io.npid.deploy.client.TopicReader;
import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.SettingException;
import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid tail TOPIC}: prints an npid topic's records decoded, one JSON object per line: the last ten by
 * default, all with {@code --from-beginning}, new ones as they come with {@code --follow}.
 */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print records of an npid topic decoded, one JSON object per line: partition, offset, timestamp, "
                    + "key and the value's fields. The last 10 by default; --from-beginning for all, --follow for new ones as "
                    + "they come.",
            "TOPIC is results, dead-letters, features, query-vectors, queries, images, labels, checkpoints or schemas "
                    + "(or the full name). Vectors are shown as their dimension and norm, image data and checkpoint parameters as "
                    + "their size; --full shows them whole. Result fields: docs/clients.md.",
            ""
        })
public final class TailCommand implements Callable<Integer> {
    /** Records printed by default without --from-beginning or --follow, as the Unix tail. */
    static final long DEFAULT_LAST = 10;

    @Mixin
    KafkaOptions kafka;

    @Parameters(
            index = "0",
            paramLabel = "TOPIC",
            description = "The topic: results, dead-letters, features, "
                    + "query-vectors, queries, images, labels, checkpoints.")
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the first record the topic holds.")
    boolean fromBeginning;

    @Option(
            names = "--follow",
            description = "Keep printing new records as they come, until Ctrl-C (or --max). "
                    + "Without --from-beginning, only records written from now on.")
    boolean follow;

    @Option(
            names = "--max",
            paramLabel = "N",
            description = "Print at most N records (default: the last 10, or "
                    + "every record with --from-beginning or --follow).")
    Long max;

    @Option(
            names = "--key",
            paramLabel = "K",
            description = "Only records with this key: an image id (images, "
                    + "labels, features) or a query id (queries, query-vectors, results).")
    String key;

    @Option(
            names = "--full",
            description = "Show vectors and bytes (image data, parameters, payloads) whole: "
                    + "vectors as lists of floats, bytes in base64.")
    boolean full;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (max != null && max < 1) {
            throw new SettingException("--max", max, "must be at least 1");
        }
        final KafkaClientConfig config = kafka.toConfig();
        final Topics topics = config.topics();
        final TopicSpec<?, ?> topic = resolve(topics, topicName);
        kafka.probe(config, topic.name());
        final TopicReader.Start start =
                fromBeginning ? TopicReader.Start.BEGINNING : follow ? TopicReader.Start.END : TopicReader.Start.LAST;
        final long limit = max != null ? max : start == TopicReader.Start.LAST ? DEFAULT_LAST : Long.MAX_VALUE;
        final PrintWriter out = spec.commandLine().getOut();
        final ObjectMapper mapper = new ObjectMapper();
        final RecordJson json = new RecordJson(topic, full);
        try (TopicReader reader = new TopicReader(config, topic.name(), key, Duration.ofSeconds(30))) {
            final long printed = reader.read(start, follow, limit, key, record -> {
                try {
                    out.println(mapper.writeValueAsString(json.toMap(record)));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                out.flush();
            });
            if (printed == 0 && !follow) {
                final PrintWriter err = spec.commandLine().getErr();
                err.println("tail: no records in " + topic.name() + (key == null ? "" : " with key " + key)
                        + (fromBeginning ? "" : " (--from-beginning reads what the topic still holds)"));
                err.flush();
            }
        }
        return ExitCodes.OK;
    }

    /** Finds a topic by its short name (results) or its full name (npid.results). */
    static TopicSpec<?, ?> resolve(final Topics topics, final String name) {
        final Optional<TopicSpec<?, ?>> found =
                topics.byName(topics.prefix() + name).or(() -> topics.byName(name));
        return found.orElseThrow(() -> new SettingException(
                "TOPIC",
                name,
                "not an npid topic; one of "
                        + topics.all().stream()
                                .map(t -> t.name().substring(topics.prefix().length()))
                                .collect(Collectors.joining(", "))));
    }
}
