package com.integrationshub.domain.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** An org's effective config: the integration's defaults overlaid key by key by the org's overrides. */
public final class MergedConfig {

    private MergedConfig() {}

    /** Defaults overlaid by overrides; a key in both takes the override. */
    public static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(overrides);
        return merged;
    }
}
