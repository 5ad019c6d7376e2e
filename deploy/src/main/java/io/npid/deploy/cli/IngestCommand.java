package io.npid.deploy.cli;

import io.npid.deploy.client.DataSources;
import io.npid.deploy.client.DatasetIngestor;
import io.npid.deploy.client.IngestPlan;
import io.npid.deploy.client.IngestResult;
import io.npid.schemas.event.ImageEncoding;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npid ingest SOURCE}: sends a data set's images to the images topic, and its labels to the labels topic
 * when asked.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Send a data set's images (unlabelled) to the images topic; with --labels, its labels too.")
public final class IngestCommand implements Callable<Integer> {

    /** Image encodings the command writes. */
    enum Encoding { RAW, PNG }

    @Mixin
    KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "SOURCE",
        description = "An IDX folder (Fashion-MNIST), a CIFAR-10 binary folder, or a folder of class sub-folders.")
    Path source;

    @Option(names = "--labels", description = "Also send each image's label on the labels topic.")
    boolean labels;

    @Option(names = "--split", defaultValue = "TRAIN", paramLabel = "train|test",
        description = "Which split of an IDX or CIFAR-10 data set (default ${DEFAULT-VALUE}).")
    Datasets.Split split;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Integer.MAX_VALUE,
        description = "Send only the first N images.")
    int limit;

    @Option(names = "--encoding", defaultValue = "RAW", paramLabel = "raw|png",
        description = "RAW pixels (default) or PNG.")
    Encoding encoding;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
        description = "Image ids are PREFIX + index (default: <folder name>-<split>-).")
    String idPrefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (limit < 1) {
            throw new SettingException("--limit", limit, "must be at least 1");
        }
        final KafkaClientConfig config = kafka.toConfig();
        final String name = DataSources.shortName(source);
        final String prefix = idPrefix != null ? idPrefix
            : name + "-" + split.name().toLowerCase(Locale.ROOT) + "-";
        final LabelledImages data = DataSources.load(source, split);
        final IngestPlan plan = new IngestPlan(prefix, name, ImageEncoding.valueOf(encoding.name()), labels, limit);
        final int n = Math.min(limit, data.size());
        final Progress progress = new Progress(spec.commandLine().getErr(), "ingest", "images", n);
        final IngestResult result;
        try (DatasetIngestor ingestor = new DatasetIngestor(config, config.topics())) {
            result = ingestor.ingest(data, plan, progress);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "ingested %,d images%s from %s to %s in %s (%,.0f images/s)"
            + "%n", result.images(), labels ? String.format(Locale.ROOT, " and %,d labels", result.labels()) : "",
            source, config.topics().images().name(), Progress.duration(result.seconds()), result.imagesPerSecond());
        return ExitCodes.OK;
    }
}
