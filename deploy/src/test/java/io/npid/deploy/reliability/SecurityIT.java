package io.npid.deploy.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.broker.EmbeddedKafkaBroker;
import io.npid.deploy.cli.ExitCodes;
import io.npid.deploy.client.IdxFiles;
import io.npid.trainer.data.Datasets;
import io.npid.trainer.data.LabelledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with a SASL_SSL listener (SASL PLAIN over TLS, key pair made by keytool in the test): every npid process
 * connects through the client properties passed to it (a {@code --config} file without secrets, the JAAS line read
 * from a file or an environment variable, the trust-store password from the environment), wrong credentials end a
 * process with one clear line and a non-zero exit, and no secret appears in any output. The processes' Prometheus
 * endpoints, scraped at the end, show the meters of issue 7.
 */
class SecurityIT {
    private static final String USER_PASSWORD = "npid-Pw-7f3c9e";
    private static final String STORE_PASSWORD = "store-Pw-51ad";
    private static final String WRONG_PASSWORD = "wrong-Pw-0b2e";
    private static final String ADMIN_PASSWORD = "admin-Pw-c4d1";
    private static final String LISTENER = "SASL_SSL";
    private static final String PREFIX = "sec.";
    private static final String TRUSTSTORE_ENV = "NPID_TEST_TRUSTSTORE_PASSWORD";
    private static final String JAAS_ENV = "NPID_TEST_JAAS";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static Path config;
    private static Path jaas;
    private static Path wrongJaas;
    private static Path storePassword;

    @BeforeAll
    static void startBrokerWithSaslSsl() throws Exception {
        final TestTls tls = TestTls.generate(dir, STORE_PASSWORD);
        final String prefix = "listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
        broker = EmbeddedKafkaBroker.builder()
                .listener(LISTENER, SecurityProtocol.SASL_SSL)
                .brokerConfig("sasl.enabled.mechanisms", "PLAIN")
                .brokerConfig(prefix + "sasl.enabled.mechanisms", "PLAIN")
                .brokerConfig(
                        prefix + "plain.sasl.jaas.config",
                        jaasLine("admin", ADMIN_PASSWORD)
                                .replace(
                                        ";",
                                        " user_admin=\"" + ADMIN_PASSWORD + "\" user_npid=\"" + USER_PASSWORD + "\";"))
                .brokerConfig(prefix + "ssl.keystore.location", tls.keyStore().toString())
                .brokerConfig(prefix + "ssl.keystore.password", STORE_PASSWORD)
                .brokerConfig(prefix + "ssl.key.password", STORE_PASSWORD)
                .brokerConfig(prefix + "ssl.keystore.type", "PKCS12")
                .start();
        // the --config file holds no secret: those come from files and the environment
        config = dir.resolve("client.properties");
        Files.writeString(
                config,
                "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
                        + "ssl.truststore.type=PKCS12\nssl.truststore.location=" + tls.trustStore() + "\n");
        jaas = dir.resolve("jaas.conf");
        Files.writeString(jaas, jaasLine("npid", USER_PASSWORD) + "\n");
        wrongJaas = dir.resolve("wrong-jaas.conf");
        Files.writeString(wrongJaas, jaasLine("npid", WRONG_PASSWORD) + "\n");
        storePassword = dir.resolve("truststore.password");
        Files.writeString(storePassword, STORE_PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRunEveryProcessOverSaslSslWithSecretsFromFilesAndTheEnvironment() throws Exception {
        final List<String> outputs = new ArrayList<>();
        final LabelledImages data = Datasets.synthetic(90, 23);
        IdxFiles.write(dir.resolve("shapes"), "train", data.head(60));
        IdxFiles.write(
                dir.resolve("shapes"),
                "t10k",
                new LabelledImages(
                        data.images().subList(60, 90), Arrays.copyOfRange(data.labels(), 60, 90), data.classNames()));

        // Step 1: topics over SASL_SSL, the JAAS line from a file, the trust-store password from a file
        final Cli topics = Cli.run(withConnection(List.of("topics"), "file:" + jaas, "file:" + storePassword));
        outputs.add(topics.toString());
        assertEquals(ExitCodes.OK, topics.exitCode(), topics.toString());

        // Step 2: the three services in child JVMs; JAAS from a file (trainer, indexer) or the environment (embedder)
        final Map<String, String> env =
                Map.of(TRUSTSTORE_ENV, STORE_PASSWORD, JAAS_ENV, jaasLine("npid", USER_PASSWORD));
        final int[] ports = {Ports.free(), Ports.free(), Ports.free()};
        try (NpidChild indexer = NpidChild.start(
                        dir,
                        "sec-indexer",
                        env,
                        connected(
                                List.of(
                                        "indexer",
                                        "--state-dir",
                                        dir.resolve("indexer").toString(),
                                        "--metrics-port",
                                        "" + ports[0]),
                                "file:" + jaas,
                                "env:" + TRUSTSTORE_ENV));
                NpidChild embedder = NpidChild.start(
                        dir,
                        "sec-embedder",
                        env,
                        connected(
                                List.of("embedder", "--metrics-port", "" + ports[1]),
                                "env:" + JAAS_ENV,
                                "env:" + TRUSTSTORE_ENV));
                NpidChild trainer = NpidChild.start(
                        dir,
                        "sec-trainer",
                        "768m",
                        env,
                        connected(
                                List.of(
                                        "trainer",
                                        "--state-dir",
                                        dir.resolve("trainer").toString(),
                                        "--metrics-port",
                                        "" + ports[2],
                                        "--set",
                                        "npid.trainer.train=false",
                                        "--set",
                                        "npid.image.channels=1",
                                        "--set",
                                        "npid.image.size=28",
                                        "--set",
                                        "npid.trainer.progress.interval.ms=1000"),
                                "file:" + jaas,
                                "env:" + TRUSTSTORE_ENV))) {
            indexer.awaitOutput("indexer: running", 120);
            trainer.awaitOutput("/metrics", 120);

            // Step 3: npid ingest and npid query through the same connection options
            final Cli ingest = Cli.run(withConnection(
                    List.of("ingest", dir.resolve("shapes").toString(), "--labels"),
                    "file:" + jaas,
                    "file:" + storePassword));
            outputs.add(ingest.toString());
            assertEquals(ExitCodes.OK, ingest.exitCode(), ingest.toString());
            awaitMetric(ports[2], "npid_bank_size", 60);
            // one bad image over the same secured connection, so the dead-letter meter has something to show
            try (RawProducer producer = new RawProducer(clientSettings())) {
                producer.send(
                        PREFIX + "images",
                        "bad-over-sasl".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new byte[0]);
            }
            awaitMetric(ports[2], "npid_dead_letters_total", 1);
            final Cli query = Cli.run(withConnection(
                    List.of(
                            "query",
                            "--from",
                            dir.resolve("shapes").toString(),
                            "--first",
                            "5",
                            "--k",
                            "5",
                            "--json",
                            "--timeout",
                            "90"),
                    "file:" + jaas,
                    "file:" + storePassword));
            outputs.add(query.toString());
            assertEquals(ExitCodes.OK, query.exitCode(), query.toString());

            // Step 4: each process's Prometheus endpoint shows its meters (issue 7's list, where they exist)
            final String trainerMetrics = Ports.get("http://127.0.0.1:" + ports[2] + "/metrics");
            final String embedderMetrics = Ports.get("http://127.0.0.1:" + ports[1] + "/metrics");
            final String indexerMetrics = Ports.get("http://127.0.0.1:" + ports[0] + "/metrics");
            Outcomes.report("metrics-scrape.txt", MetricsReport.of(trainerMetrics, embedderMetrics, indexerMetrics));
            Outcomes.save("scrape-trainer.prom", trainerMetrics);
            Outcomes.save("scrape-embedder.prom", embedderMetrics);
            Outcomes.save("scrape-indexer.prom", indexerMetrics);
            for (final String name : List.of(
                    "npid_ingest_images_total",
                    "npid_train_steps_total",
                    "npid_bank_size",
                    "npid_trainer_input_lag",
                    "npid_model_version",
                    "npid_dead_letters_total{")) {
                assertTrue(trainerMetrics.contains(name), name + " on the trainer's endpoint");
            }
            for (final String name : List.of(
                    "npid_embedder_queries_total",
                    "npid_embedder_encode_seconds_count",
                    "npid_embedder_model_version")) {
                assertTrue(embedderMetrics.contains(name), name + " on the embedder's endpoint");
            }
            assertTrue(indexerMetrics.contains("records_lag"), "the indexer's consumer lag on its endpoint");
            outputs.add(indexer.output());
            outputs.add(embedder.output());
            outputs.add(trainer.output());
            // SIGTERM: the shutdown hook closes each service cleanly; the JVM then exits 143 (128 + SIGTERM)
            for (final NpidChild child : List.of(indexer, embedder, trainer)) {
                final int exit = child.stop();
                assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + child.tail());
                assertTrue(child.output().contains(": stopping"), child.tail());
            }
        }
        assertNoSecretIn(outputs);
    }

    @Test
    void shouldEndWithOneClearLineAndNoSecretWhenTheCredentialsAreWrong() throws Exception {
        final Cli topics = Cli.run(
                withConnection(List.of("topics", "--verify-only"), "file:" + wrongJaas, "file:" + storePassword));
        final Map<String, String> env = Map.of(TRUSTSTORE_ENV, STORE_PASSWORD);
        try (NpidChild indexer = NpidChild.start(
                        dir,
                        "bad-indexer",
                        env,
                        connected(
                                List.of(
                                        "indexer",
                                        "--state-dir",
                                        dir.resolve("bad-indexer").toString()),
                                "file:" + wrongJaas,
                                "env:" + TRUSTSTORE_ENV));
                NpidChild embedder = NpidChild.start(
                        dir,
                        "bad-embedder",
                        env,
                        connected(List.of("embedder"), "file:" + wrongJaas, "env:" + TRUSTSTORE_ENV));
                NpidChild trainer = NpidChild.start(
                        dir,
                        "bad-trainer",
                        "768m",
                        env,
                        connected(
                                List.of(
                                        "trainer",
                                        "--state-dir",
                                        dir.resolve("bad-trainer").toString()),
                                "file:" + wrongJaas,
                                "env:" + TRUSTSTORE_ENV))) {
            final Map<String, Integer> exits = new java.util.LinkedHashMap<>();
            exits.put("indexer", indexer.awaitExit(120));
            exits.put("embedder", embedder.awaitExit(120));
            exits.put("trainer", trainer.awaitExit(180));
            Outcomes.report(
                    "wrong-credentials.txt",
                    "npid topics: exit " + topics.exitCode() + ": "
                            + topics.err().strip() + "\nnpid indexer: exit " + exits.get("indexer") + ": "
                            + errorLines(indexer.output()) + "\nnpid embedder: exit " + exits.get("embedder") + ": "
                            + errorLines(embedder.output()) + "\nnpid trainer: exit " + exits.get("trainer") + ": "
                            + errorLines(trainer.output()) + "\n");
            assertEquals(ExitCodes.NO_PERMISSION, topics.exitCode(), topics.toString());
            assertEquals(1, topics.err().strip().lines().count(), "one line: " + topics.err());
            assertTrue(topics.err().contains("refused the credentials"), topics.err());
            final List<NpidChild> children = List.of(indexer, embedder, trainer);
            for (final NpidChild child : children) {
                assertEquals(
                        ExitCodes.NO_PERMISSION,
                        exits.get(child == indexer ? "indexer" : child == embedder ? "embedder" : "trainer"),
                        child.tail());
                assertEquals(1, errorLines(child.output()).lines().count(), "one npid: line\n" + child.tail());
                assertTrue(child.output().contains("refused the credentials"), child.tail());
            }
            assertNoSecretIn(List.of(topics.toString(), indexer.output(), embedder.output(), trainer.output()));
        }
    }

    /** Adds the SASL_SSL connection options: servers, the --config file and two secrets. */
    private static String[] withConnection(
            final List<String> command, final String jaasRef, final String storePasswordRef) {
        final List<String> args = new ArrayList<>(command);
        args.addAll(List.of(
                "--bootstrap-servers",
                broker.bootstrapServers(LISTENER),
                "--topic-prefix",
                PREFIX,
                "--config",
                config.toString(),
                "--kafka-secret",
                "sasl.jaas.config=" + jaasRef,
                "--kafka-secret",
                "ssl.truststore.password=" + storePasswordRef));
        return args.toArray(String[]::new);
    }

    /** The same connection as a plain client map, for the test's own producer. */
    private static Map<String, Object> clientSettings() {
        return Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(LISTENER),
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                jaasLine("npid", USER_PASSWORD),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.location",
                dir.resolve("truststore.p12").toString(),
                "ssl.truststore.password",
                STORE_PASSWORD);
    }

    private static List<String> connected(
            final List<String> command, final String jaasRef, final String storePasswordRef) {
        return List.of(withConnection(command, jaasRef, storePasswordRef));
    }

    private static String jaasLine(final String user, final String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static void awaitMetric(final int port, final String name, final double atLeast)
            throws InterruptedException {
        final long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            final String metrics = Ports.get("http://127.0.0.1:" + port + "/metrics");
            final double value = MetricsReport.value(metrics, name);
            if (value >= atLeast) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " never reached " + atLeast);
    }

    private static String errorLines(final String output) {
        return String.join(
                "\n", output.lines().filter(l -> l.startsWith("npid: ")).toList());
    }

    private static void assertNoSecretIn(final List<String> outputs) {
        for (final String output : outputs) {
            for (final String secret : List.of(USER_PASSWORD, STORE_PASSWORD, WRONG_PASSWORD, ADMIN_PASSWORD)) {
                assertFalse(output.contains(secret), "a secret was printed:\n" + output);
            }
        }
    }
}
