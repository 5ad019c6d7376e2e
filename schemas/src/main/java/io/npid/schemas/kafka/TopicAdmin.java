package io.npid.schemas.kafka;

import io.npid.schemas.TopicSpec;
import io.npid.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics of a {@link Topics} registry that are missing and checks the ones that exist.
 *
 * <p>Idempotent: running it again, or from several processes at once, creates nothing twice. An existing topic
 * must have the spec's partition count and its configs ({@code cleanup.policy} as a set, {@code max.message.bytes}
 * at least the spec's value, other keys equal); every difference is reported at once, naming topic and setting.
 * {@link #raiseMessageLimits} fixes the one difference that is safe to fix in place: a {@code max.message.bytes}
 * below what npid needs (raising a limit loses nothing; partitions and cleanup policies are left to people).
 *
 * <p>Why one file of this length: creating topics and checking existing ones apply the same specs and must agree on
 * every setting, so they stay together.
 */
public final class TopicAdmin {

    /** Default time to wait for each admin call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final long VISIBILITY_POLL_MS = 50;

    private final Admin admin;
    private final Duration timeout;

    /**
     * Creates the helper around a caller-owned Admin client (not closed here).
     *
     * @param admin the admin client
     * @param timeout how long to wait for each admin call
     */
    public TopicAdmin(final Admin admin, final Duration timeout) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Creates missing topics and verifies existing ones, with the default timeout.
     *
     * @param admin the admin client
     * @param topics the registry
     * @return which topics were created and which already existed
     * @throws TopicMismatchException if an existing topic does not match its spec
     */
    public static Report ensureTopics(final Admin admin, final Topics topics) {
        return new TopicAdmin(admin, DEFAULT_TIMEOUT).ensure(topics.all());
    }

    /**
     * Creates missing topics and verifies existing ones.
     *
     * @param specs the topics
     * @return which topics were created and which already existed
     * @throws TopicMismatchException if an existing topic does not match its spec
     * @throws KafkaException if the cluster cannot be reached or refuses a creation
     */
    public Report ensure(final Collection<TopicSpec<?, ?>> specs) {
        final Map<String, TopicDescription> existing = describe(specs);
        final List<NewTopic> toCreate = new ArrayList<>();
        for (final TopicSpec<?, ?> spec : specs) {
            if (!existing.containsKey(spec.name())) {
                toCreate.add(spec.newTopic());
            }
        }
        final List<String> created = new ArrayList<>();
        final List<TopicSpec<?, ?>> toVerify = new ArrayList<>();
        final Map<String, KafkaFuture<Void>> creations =
                toCreate.isEmpty() ? Map.of() : admin.createTopics(toCreate).values();
        for (final TopicSpec<?, ?> spec : specs) {
            final KafkaFuture<Void> creation = creations.get(spec.name());
            if (creation == null) {
                toVerify.add(spec);
                continue;
            }
            try {
                await(creation, "create topic " + spec.name());
                created.add(spec.name());
            } catch (final TopicExistsException raced) {
                // Another process created it between our describe and create: check it like any existing topic.
                toVerify.add(spec);
            }
        }
        // The controller has committed the topics, but the broker answering describeTopics may not know them yet.
        awaitVisible(specs);
        final List<TopicMismatch> mismatches = verify(toVerify);
        if (!mismatches.isEmpty()) {
            throw new TopicMismatchException(mismatches);
        }
        final List<String> verified = toVerify.stream().map(TopicSpec::name).toList();
        return new Report(created, verified);
    }

    /**
     * Raises the {@code max.message.bytes} of existing topics whose limit is below their spec's, e.g. images and
     * queries topics created before npid set a limit (the broker's 1 MiB default). Missing topics are left alone.
     *
     * @param specs the topics
     * @return the limits it raised: each with the old value as {@code actual} and the new one as {@code expected}
     * @throws KafkaException if the cluster refuses the change (e.g. no ALTER_CONFIGS permission)
     */
    public List<TopicMismatch> raiseMessageLimits(final Collection<TopicSpec<?, ?>> specs) {
        final List<TopicMismatch> tooSmall = verify(specs).stream()
                .filter(m -> TopicConfig.MAX_MESSAGE_BYTES_CONFIG.equals(m.setting()) && m.actual() != null)
                .toList();
        if (tooSmall.isEmpty()) {
            return tooSmall;
        }
        final Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (final TopicMismatch m : tooSmall) {
            changes.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, m.topic()),
                    List.of(new AlterConfigOp(
                            new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, m.expected()),
                            AlterConfigOp.OpType.SET)));
        }
        await(
                admin.incrementalAlterConfigs(changes).all(),
                "raise max.message.bytes of "
                        + tooSmall.stream().map(TopicMismatch::topic).toList());
        // The change is committed by the controller; the broker that answers describeConfigs may lag a moment.
        final List<TopicSpec<?, ?>> raised = specs.stream()
                .filter(spec -> tooSmall.stream().anyMatch(m -> m.topic().equals(spec.name())))
                .toList();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (verify(raised).stream().anyMatch(m -> TopicConfig.MAX_MESSAGE_BYTES_CONFIG.equals(m.setting()))
                && System.nanoTime() < deadline) {
            sleep("the raised max.message.bytes");
        }
        return tooSmall;
    }

    /**
     * Lists how existing topics differ from their specs, without creating anything; a missing topic is reported
     * with setting {@code exists}.
     *
     * @param specs the topics
     * @return the differences, empty if all match
     */
    public List<TopicMismatch> verify(final Collection<TopicSpec<?, ?>> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        final Map<String, TopicDescription> descriptions = describe(specs);
        final List<ConfigResource> resources = new ArrayList<>();
        for (final TopicSpec<?, ?> spec : specs) {
            if (descriptions.containsKey(spec.name())) {
                resources.add(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            }
        }
        final Map<ConfigResource, Config> configs = resources.isEmpty()
                ? Map.of()
                : await(admin.describeConfigs(resources).all(), "describe topic configs");
        final List<TopicMismatch> mismatches = new ArrayList<>();
        for (final TopicSpec<?, ?> spec : specs) {
            final TopicDescription description = descriptions.get(spec.name());
            if (description == null) {
                mismatches.add(new TopicMismatch(spec.name(), "exists", "true", "false"));
                continue;
            }
            final int partitions = description.partitions().size();
            if (partitions != spec.partitions()) {
                mismatches.add(new TopicMismatch(
                        spec.name(), "partitions", Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            for (final Map.Entry<String, String> wanted : new TreeMap<>(spec.config()).entrySet()) {
                final ConfigEntry entry = config == null ? null : config.get(wanted.getKey());
                final String actual = entry == null ? null : entry.value();
                if (!satisfies(wanted.getKey(), wanted.getValue(), actual)) {
                    mismatches.add(new TopicMismatch(spec.name(), wanted.getKey(), wanted.getValue(), actual));
                }
            }
        }
        return mismatches;
    }

    private static boolean satisfies(final String key, final String expected, final String actual) {
        if (actual == null) {
            return false;
        }
        if (TopicConfig.CLEANUP_POLICY_CONFIG.equals(key)) {
            return policies(expected).equals(policies(actual));
        }
        if (TopicConfig.MAX_MESSAGE_BYTES_CONFIG.equals(key)) {
            // A larger limit than we need is fine; a smaller one would reject checkpoints.
            return Long.parseLong(actual.trim()) >= Long.parseLong(expected.trim());
        }
        return expected.equals(actual);
    }

    private static Set<String> policies(final String value) {
        final Set<String> set = new TreeSet<>();
        Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(set::add);
        return set;
    }

    private Map<String, TopicDescription> describe(final Collection<TopicSpec<?, ?>> specs) {
        final List<String> names = specs.stream().map(TopicSpec::name).toList();
        final Map<String, KafkaFuture<TopicDescription>> futures =
                admin.describeTopics(names).topicNameValues();
        final Map<String, TopicDescription> found = new HashMap<>();
        for (final String name : names) {
            try {
                found.put(name, await(futures.get(name), "describe topic " + name));
            } catch (final UnknownTopicOrPartitionException missing) {
                // Absent: the caller creates it or reports it.
            }
        }
        return found;
    }

    /**
     * Waits until every topic is described with a leader for each partition: a creation the controller has committed
     * reaches the broker that answers a little later.
     *
     * @param specs the topics
     * @throws KafkaException if some are still not visible after the timeout
     */
    public void awaitVisible(final Collection<TopicSpec<?, ?>> specs) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        List<String> missing = List.of();
        while (System.nanoTime() < deadline) {
            final Map<String, TopicDescription> found = describe(specs);
            missing = specs.stream()
                    .map(TopicSpec::name)
                    .filter(name -> !hasLeaders(found.get(name)))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            sleep("topics " + missing);
        }
        throw new KafkaException(
                "Topics " + missing + " were created but are still not visible after " + timeout.toMillis() + " ms");
    }

    private static void sleep(final String awaited) {
        try {
            Thread.sleep(VISIBILITY_POLL_MS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + awaited, e);
        }
    }

    private static boolean hasLeaders(final TopicDescription description) {
        return description != null
                && description.partitions().stream()
                        .allMatch(partition ->
                                partition.leader() != null && partition.leader().id() >= 0);
    }

    private <T> T await(final KafkaFuture<T> future, final String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting to " + what, e);
        } catch (final TimeoutException e) {
            throw new KafkaException(
                    "Timed out after " + timeout.toMillis() + " ms waiting to " + what
                            + "; is the Kafka cluster reachable?",
                    e);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof KafkaException kafkaError) {
                throw kafkaError;
            }
            throw new KafkaException("Failed to " + what + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * What {@link #ensure} did.
     *
     * @param created topics it created
     * @param verified topics that already existed and match
     */
    public record Report(List<String> created, List<String> verified) {

        /** Copies the lists. */
        public Report {
            created = List.copyOf(created);
            verified = List.copyOf(verified);
        }
    }
}
