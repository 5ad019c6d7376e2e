package io.npid.trainer.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The embedder's settings: effective values listed with secrets hidden, a misspelled key refused by name. */
class EmbedderConfigTest {

    @Test
    void shouldListTheEffectiveSettingsWithSecretsHidden() {
        final EmbedderConfig config = new EmbedderConfig(Map.of(
                "bootstrap.servers",
                "broker:9092",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"s3cret\";"));

        final Map<String, String> effective = config.effectiveSettings();

        assertEquals("npid-embedder", effective.get(EmbedderConfig.GROUP_ID_CONFIG));
        assertEquals("[hidden]", effective.get("sasl.jaas.config"));
        assertFalse(effective.toString().contains("s3cret"));
    }

    @Test
    void shouldRefuseAMisspelledEmbedderSettingSuggestingTheRightOne() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> new EmbedderConfig(
                        Map.of("bootstrap.servers", "broker:9092", "npid.embedder.max.batch.sise", "8")));
        assertTrue(e.getMessage().contains("did you mean npid.embedder.max.batch.size?"), e.getMessage());
    }
}
