package com.integrationshub.domain;

import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.SealedSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test values shared by the domain tests: schema fields, config values and fixed instants. */
public final class Fixtures {

    /** A fixed instant the tests decide at. */
    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** A later instant, for a second command. */
    public static final Instant T1 = Instant.parse("2026-11-22T11:30:00Z");
    /** A still later instant. */
    public static final Instant T2 = Instant.parse("2026-11-22T12:45:00Z");

    private Fixtures() {}

    /** A required schema field. */
    public static ConfigField required(String key, ConfigFieldType type) {
        return ConfigField.newBuilder()
                .setKey(key)
                .setType(type)
                .setRequired(true)
                .build();
    }

    /** An optional schema field. */
    public static ConfigField optional(String key, ConfigFieldType type) {
        return ConfigField.newBuilder()
                .setKey(key)
                .setType(type)
                .setRequired(false)
                .build();
    }

    /** The HaloPSA schema of the API page: base_url (string, required), api_key (secret), timeout (int). */
    public static List<ConfigField> haloSchema() {
        return List.of(
                required("base_url", ConfigFieldType.STRING),
                optional("api_key", ConfigFieldType.SECRET),
                optional("timeout", ConfigFieldType.INT));
    }

    /** A json config value. */
    public static JsonText json(String text) {
        return JsonText.newBuilder().setJson(text).build();
    }

    /** A sealed secret config value (the bytes are opaque to the domain). */
    public static SealedSecret secret(String ciphertext) {
        return SealedSecret.newBuilder()
                .setKeyId(7L)
                .setCiphertext(ByteBuffer.wrap(ciphertext.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** A config map from key, value pairs, in order. */
    public static Map<String, Object> config(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("pairs of key and value expected");
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }
}
