package io.npid.deploy.cli;

import io.npid.deploy.process.KafkaClientConfig;
import io.npid.deploy.process.KafkaUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a command builds its clients, that Kafka answers at the bootstrap servers and has the topics the
 * command needs, within a few seconds; what is wrong is said in its own words.
 *
 * <p>Left to themselves the Kafka clients wait 30 to 60 s and then report a timeout, or a topic "not present in
 * metadata", whatever the cause. Connecting and a server's first answer get the command's wait (5 s by default);
 * the requests made with the command's own settings get {@link #REQUEST_WAITS} times as long. Here: each server is looked at first ({@link ListenerProbe}: nothing listening,
 * unknown host, a port that accepts and drops, another protocol), then one Admin client with the command's own
 * settings (security included) asks for the cluster, which is where wrong credentials show, checks that the
 * brokers it names are reachable (a wrong {@code advertised.listeners} is a classic), and describes the topics.
 */
final class KafkaProbe {
    /** How long connecting to a server and its first answer may take by default. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    /**
     * How many times that the requests with the command's own settings may take: a JVM's first TLS handshake and
     * SASL exchange cost seconds of start-up on their own (measured: over 5 s for three JVMs starting at once on 2
     * cores), and a wrong answer to them is no faster to give.
     */
    static final int REQUEST_WAITS = 3;

    private KafkaProbe() {}

    /**
     * Checks the cluster and the topics.
     *
     * @param config the command's client settings
     * @param wait how long each step may take
     * @param topics full names of the topics the command reads or writes; may be empty
     * @throws KafkaUnavailableException when no server answers as Kafka, naming what was found at each
     * @throws MissingTopicsException when a topic does not exist
     * @throws org.apache.kafka.common.errors.AuthenticationException when Kafka refused the credentials
     * @throws org.apache.kafka.common.errors.AuthorizationException when Kafka denied describing a topic
     */
    static void check(final KafkaClientConfig config, final Duration wait, final Collection<String> topics) {
        final String servers = config.bootstrapServers();
        final String protocol = config.settings()
                .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .strip()
                .toUpperCase(Locale.ROOT);
        final boolean clear = protocol.equals("PLAINTEXT") || protocol.equals("SASL_PLAINTEXT");
        final List<ListenerProbe.Finding> findings = new ArrayList<>();
        for (String server : servers.split(",")) {
            final ListenerProbe.Finding finding = ListenerProbe.probe(server.strip(), clear, wait);
            findings.add(finding);
            if (finding.outcome().usable()) {
                break; // one answering server is all a client needs to start
            }
        }
        if (findings.stream().noneMatch(f -> f.outcome().usable())) {
            throw new KafkaUnavailableException(unreachable(findings));
        }
        final Duration requestWait = wait.multipliedBy(REQUEST_WAITS);
        try (Admin admin = Admin.create(config.with(fast(requestWait)))) {
            final Collection<Node> nodes = await(
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) requestWait.toMillis()))
                            .nodes(),
                    requestWait,
                    servers,
                    "did not complete a Kafka request within " + seconds(requestWait) + " (is security.protocol "
                            + protocol + " the listener's? check security.protocol, sasl.* and ssl.* in --config)");
            checkAdvertised(servers, nodes, wait, clear);
            if (!topics.isEmpty()) {
                checkTopics(admin, servers, List.copyOf(topics), requestWait);
            }
        }
    }

    /** The words for servers none of which answers as Kafka. */
    static String unreachable(final List<ListenerProbe.Finding> findings) {
        if (findings.size() == 1) {
            final ListenerProbe.Finding f = findings.get(0);
            return switch (f.outcome()) {
                case REFUSED, UNKNOWN_HOST, NO_ANSWER, UNREACHABLE ->
                    "cannot reach Kafka at " + f.address() + " (" + f.detail() + "); check --bootstrap-servers";
                default -> "nothing answers as Kafka at " + f.address() + ": " + f.detail();
            };
        }
        return "cannot reach Kafka at any of the bootstrap servers: "
                + findings.stream()
                        .map(f -> f.address() + " (" + f.detail() + ")")
                        .collect(Collectors.joining(", "));
    }

    /** Client settings that make the Admin requests give up after {@code wait} instead of a minute. */
    private static Map<String, Object> fast(final Duration wait) {
        final int ms = (int) Math.max(1000, wait.toMillis());
        return Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG,
                "npid-probe",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                ms,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                ms,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
                (long) ms,
                AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
                (long) ms,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                500L,
                AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
                500L);
    }

    /** The brokers a client is sent to after the bootstrap must be reachable too; one is enough to go on. */
    private static void checkAdvertised(
            final String servers, final Collection<Node> nodes, final Duration wait, final boolean clear) {
        final List<ListenerProbe.Finding> findings = new ArrayList<>();
        for (Node node : nodes) {
            final String address = node.host() + ":" + node.port();
            final ListenerProbe.Finding finding = ListenerProbe.probe(address, clear, wait);
            if (finding.outcome().usable()) {
                return;
            }
            findings.add(finding);
        }
        if (!findings.isEmpty()) {
            throw new KafkaUnavailableException("Kafka at " + servers + " answers, but the broker address it gives "
                    + "clients cannot be reached from here: "
                    + findings.stream()
                            .map(f -> f.address() + " (" + f.detail() + ")")
                            .collect(Collectors.joining(", "))
                    + "; the broker's advertised.listeners must name an address this machine can reach");
        }
    }

    private static void checkTopics(
            final Admin admin, final String servers, final List<String> topics, final Duration wait) {
        final Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(
                        topics, new DescribeTopicsOptions().timeoutMs((int) wait.toMillis()))
                .topicNameValues();
        final List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            try {
                await(
                        described.get(topic),
                        wait,
                        servers,
                        "did not describe topic " + topic + " within " + seconds(wait));
            } catch (UnknownTopicOrPartitionException e) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingTopicsException(servers, missing);
        }
    }

    /** Waits for an Admin result; a timeout becomes {@link KafkaUnavailableException} with the given words. */
    private static <T> T await(
            final KafkaFuture<T> future, final Duration wait, final String servers, final String timeoutWords) {
        try {
            // the request's own timeout ends it first; the extra second only guards against a stuck client
            return future.get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka at " + servers, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka at " + servers + " " + timeoutWords);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new KafkaUnavailableException("Kafka at " + servers + " " + timeoutWords);
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // credentials, authorization, unknown topic: Failure names each
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String seconds(final Duration wait) {
        return wait.toMillis() % 1000 == 0
                ? wait.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", wait.toMillis() / 1000.0);
    }
}
