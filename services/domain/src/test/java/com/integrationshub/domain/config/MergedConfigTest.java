package com.integrationshub.domain.config;

import static com.integrationshub.domain.Fixtures.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MergedConfigTest {

    @Test
    void shouldTakeOverrideForKeyInBoth() {
        Map<String, Object> merged =
                MergedConfig.merge(config("base_url", "https://default", "timeout", 30L), config("timeout", 60L));

        assertEquals(60L, merged.get("timeout"), "timeout set in both");
        assertEquals("https://default", merged.get("base_url"), "base_url set in defaults only");
    }

    @Test
    void shouldKeepKeysFromBoth() {
        Map<String, Object> merged = MergedConfig.merge(
                config("base_url", "https://halo.example", "timeout", 30L), config("custom_field", "value"));

        assertEquals(
                config("base_url", "https://halo.example", "timeout", 30L, "custom_field", "value"),
                merged,
                "defaults plus overrides");
    }

    @Test
    void shouldLeaveDefaultsAndOverridesUntouched() {
        Map<String, Object> defaults = config("base_url", "https://default", "timeout", 30L);
        Map<String, Object> overrides = config("timeout", 60L, "custom_field", "value");

        Map<String, Object> merged = MergedConfig.merge(defaults, overrides);
        merged.put("later", true);

        assertEquals(config("base_url", "https://default", "timeout", 30L), defaults, "defaults after merging");
        assertEquals(config("timeout", 60L, "custom_field", "value"), overrides, "overrides after merging");
    }

    @Test
    void shouldEqualDefaultsWithoutOverrides() {
        assertEquals(
                config("base_url", "https://default"),
                MergedConfig.merge(config("base_url", "https://default"), Map.of()),
                "merge with no overrides");
    }

    @Test
    void shouldEqualOverridesWithoutDefaults() {
        assertEquals(
                config("custom_field", "value"),
                MergedConfig.merge(Map.of(), config("custom_field", "value")),
                "merge with no defaults");
    }
}
