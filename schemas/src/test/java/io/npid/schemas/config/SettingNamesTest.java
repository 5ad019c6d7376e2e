package io.npid.schemas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SettingNamesTest {
    private static final Set<String> KNOWN = Set.of("npid.lr", "npid.low.dim", "npid.knn.k", "store.sync.writes");

    @Test
    void shouldNameTheUnknownKeyAndTheClosestKnownOne() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingNames.requireKnown(
                        Map.of("npid.lrr", "0.1", "npid.low.dim", "64", "bootstrap.servers", "x:1"),
                        List.of("npid.", "store."),
                        KNOWN,
                        "npid settings trainer"));
        assertEquals(
                "Invalid value 0.1 for configuration npid.lrr: unknown setting (did you mean npid.lr?); see "
                        + "npid settings trainer",
                e.getMessage());
    }

    @Test
    void shouldSuggestNothingForAKeyFarFromEveryKnownOne() {
        assertEquals(Optional.empty(), SettingNames.closest("npid.something.else.entirely", KNOWN));
        assertEquals(Optional.of("store.sync.writes"), SettingNames.closest("store.sync.write", KNOWN));
    }

    @Test
    void shouldMaskTheValueOfAnUnknownSecretKey() {
        final ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingNames.requireKnown(
                        Map.of("npid.secret.tokn", "s3cr3t"), List.of("npid."), KNOWN, "npid settings"));
        assertEquals(false, e.getMessage().contains("s3cr3t"), e.getMessage());
    }
}
