package io.npid.indexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.npid.indexer.knn.IndexForm;
import io.npid.indexer.knn.IndexSettings;
import io.npid.indexer.knn.KernelType;
import io.npid.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class IndexerConfigTest {

    @Test
    void shouldHaveThePapersDefaults() {
        final IndexerConfig config = IndexerConfig.defaults();
        assertEquals(200, config.k());
        assertEquals(0.07, config.temperature());
        assertEquals(128, config.dimension());
        assertEquals(StreamsConfig.AT_LEAST_ONCE, config.processingGuarantee());
        assertEquals("npid-indexer", config.applicationId());
        assertEquals(Duration.ofSeconds(10), config.mergeTimeout());
        assertEquals(KernelType.AUTO, config.kernel());
        assertEquals("npid.features", config.topics().features().name());
        assertTrue(config.clientProperties().isEmpty());
    }

    @Test
    void shouldNameTheSettingAndValueOfABadValue() {
        final ConfigException k =
                assertThrows(ConfigException.class, () -> IndexerConfig.from(Map.of(IndexerConfig.K_CONFIG, "0")));
        assertTrue(k.getMessage().startsWith("Invalid value 0 for configuration npid.knn.k"), k.getMessage());

        final ConfigException guarantee = assertThrows(
                ConfigException.class,
                () -> IndexerConfig.from(Map.of(IndexerConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once")));
        assertTrue(guarantee.getMessage().contains("npid.indexer.processing.guarantee"), guarantee.getMessage());

        final ConfigException temperature = assertThrows(
                ConfigException.class, () -> IndexerConfig.from(Map.of(IndexerConfig.TEMPERATURE_CONFIG, "-0.5")));
        assertTrue(temperature.getMessage().contains("npid.knn.temperature"), temperature.getMessage());

        final ConfigException notANumber = assertThrows(
                ConfigException.class, () -> IndexerConfig.from(Map.of(IndexerConfig.DIMENSION_CONFIG, "wide")));
        assertTrue(notANumber.getMessage().contains("npid.low.dim"), notANumber.getMessage());

        final ConfigException partitions = assertThrows(
                ConfigException.class, () -> IndexerConfig.from(Map.of(Topics.TOPIC_PARTITIONS_CONFIG, "0")));
        assertTrue(partitions.getMessage().contains(Topics.TOPIC_PARTITIONS_CONFIG), partitions.getMessage());
    }

    /** What the indexer runs with, defaults filled in, as npid indexer prints it: a PEM key never shows. */
    @Test
    void shouldListTheEffectiveSettingsWithSecretsHidden() {
        final String pem = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg-----END PRIVATE KEY-----";
        final IndexerConfig config = IndexerConfig.from(
                Map.of("bootstrap.servers", "broker:9092", "ssl.keystore.key", pem, IndexerConfig.K_CONFIG, "50"));

        final Map<String, String> effective = config.effectiveSettings();

        assertEquals("50", effective.get(IndexerConfig.K_CONFIG));
        assertEquals("1000", effective.get(IndexerConfig.K_MAX_CONFIG), "a default is listed too");
        assertEquals("broker:9092", effective.get("bootstrap.servers"));
        assertEquals("[hidden]", effective.get("ssl.keystore.key"));
        assertFalse(effective.toString().contains("MIIEvQ") || config.toString().contains("MIIEvQ"));
    }

    @Test
    void shouldRefuseAKAboveTheMaximumAndAnUnknownIndexerKey() {
        final ConfigException k = assertThrows(
                ConfigException.class,
                () -> IndexerConfig.from(Map.of(IndexerConfig.K_CONFIG, "500", IndexerConfig.K_MAX_CONFIG, "400")));
        assertTrue(k.getMessage().contains("must not exceed npid.knn.k.max"), k.getMessage());

        final ConfigException unknown =
                assertThrows(ConfigException.class, () -> IndexerConfig.from(Map.of("npid.indexer.kk", "5")));
        assertTrue(unknown.getMessage().contains("npid.indexer.kk"), unknown.getMessage());
    }

    @Test
    void shouldReadTheIndexFormAndRefuseAnUnknownOneOrAMisspeltKey() {
        final IndexSettings defaults = IndexerConfig.defaults().indexSettings();
        assertEquals(IndexForm.AUTO, defaults.form());
        assertEquals(200_000, defaults.annMinRows());

        final IndexSettings hnsw = IndexerConfig.from(Map.of(
                        IndexerConfig.INDEX_CONFIG,
                        "hnsw",
                        IndexerConfig.HNSW_EF_SEARCH_CONFIG,
                        "900",
                        IndexerConfig.ANN_MIN_ROWS_CONFIG,
                        "5"))
                .indexSettings();
        assertEquals(IndexForm.HNSW, hnsw.form());
        assertEquals(900, hnsw.hnswEfSearch());
        assertEquals(5, hnsw.annMinRows());

        final ConfigException form = assertThrows(
                ConfigException.class, () -> IndexerConfig.from(Map.of(IndexerConfig.INDEX_CONFIG, "faiss")));
        assertTrue(
                form.getMessage().startsWith("Invalid value faiss for configuration npid.indexer.index"),
                form.getMessage());

        final ConfigException rows = assertThrows(
                ConfigException.class, () -> IndexerConfig.from(Map.of(IndexerConfig.ANN_MIN_ROWS_CONFIG, "0")));
        assertTrue(rows.getMessage().contains("npid.indexer.ann.min.rows"), rows.getMessage());

        final ConfigException misspelt =
                assertThrows(ConfigException.class, () -> IndexerConfig.from(Map.of("npid.indexer.indx", "hnsw")));
        assertTrue(misspelt.getMessage().contains("did you mean npid.indexer.index?"), misspelt.getMessage());
    }

    @Test
    void shouldReadTheOldNamesOfItsKnnSettingsWithOneWarningEach() {
        final IndexerConfig config = IndexerConfig.from(Map.of(
                "npid.indexer.k",
                "50",
                "npid.indexer.k.max",
                "60",
                "npid.indexer.temperature",
                "0.1",
                "npid.indexer.dimension",
                "64"));
        assertEquals(50, config.k());
        assertEquals(60, config.maxK());
        assertEquals(0.1, config.temperature());
        assertEquals(64, config.dimension());

        final ConfigException both = assertThrows(
                ConfigException.class,
                () -> IndexerConfig.from(Map.of("npid.indexer.k", "50", IndexerConfig.K_CONFIG, "40")));
        assertTrue(
                both.getMessage().contains("this setting is now npid.knn.k, which is also given (40)"),
                both.getMessage());
    }

    @Test
    void shouldPassKafkaSettingsThroughAndIgnoreOtherProcessesKeys() {
        final IndexerConfig config = IndexerConfig.from(Map.of(
                "bootstrap.servers",
                "broker:9092",
                "sasl.jaas.config",
                "secret stuff",
                "npid.trainer.lr",
                "0.03",
                "num.stream.threads",
                "2"));
        assertEquals(
                Map.of(
                        "bootstrap.servers",
                        "broker:9092",
                        "sasl.jaas.config",
                        "secret stuff",
                        "num.stream.threads",
                        "2"),
                config.clientProperties());
        assertFalse(config.toString().contains("secret stuff"), config.toString());
        assertTrue(config.toString().contains("[hidden]"));
    }

    @Test
    void shouldLayerStreamsPropertiesDefaultsThenUserThenOwned() {
        final IndexerConfig config = IndexerConfig.from(Map.of(
                IndexerConfig.APPLICATION_ID_CONFIG, "idx-a",
                IndexerConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                IndexerConfig.STATE_DIR_CONFIG, "/var/lib/npid",
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200",
                StreamsConfig.APPLICATION_ID_CONFIG, "ignored"));
        final Properties properties = IndexerTopology.streamsProperties(config);
        assertEquals("idx-a", properties.get(StreamsConfig.APPLICATION_ID_CONFIG), "the indexer's key wins");
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, properties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("/var/lib/npid", properties.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals("200", properties.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG), "the user's value wins");
        assertEquals(0L, properties.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG), "low-latency default");
    }

    @Test
    void shouldOptInToTheGlobalExceptionHandlerWhereverStreamsReadsIt() {
        final Properties properties =
                IndexerTopology.streamsProperties(IndexerConfig.from(Map.of("bootstrap.servers", "localhost:9092")));
        final StreamsConfig streams = new StreamsConfig(properties);
        assertTrue(streams.getBoolean(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
        // the partition assignor builds its own StreamsConfig from the main consumer's settings
        final Map<String, Object> consumer = streams.getMainConsumerConfigs("group", "client", 0);
        assertEquals(true, consumer.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
    }
}
