package com.integrationshub.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.runtime.health.HealthSettings;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.registry.RegistrySettings;
import com.integrationshub.runtime.secrets.SecretsSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.DependencyInjectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared settings bind from the keys both services' application.yml use, with the documented defaults. */
class RuntimeSettingsTest {

    private static Map<String, Object> required() {
        Map<String, Object> p = new HashMap<>();
        p.put("hub.kafka.bootstrap-servers", "broker-a:9092,broker-b:9092");
        p.put("hub.kafka.partitions", "3");
        p.put("hub.kafka.replication-factor", "2");
        p.put("hub.kafka.admin-timeout", "7s");
        p.put("hub.kafka.topics.commands", "c.commands");
        p.put("hub.kafka.topics.events", "c.events");
        p.put("hub.kafka.topics.outcomes", "c.outcomes");
        p.put("hub.kafka.outcomes-retention", "1h");
        p.put("hub.registry.url", "http://registry:8081");
        return p;
    }

    @Test
    void shouldBindEveryKafkaKey() {
        Map<String, Object> p = required();
        p.put("hub.kafka.topics.dead-letters", "c.dead");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            KafkaSettings kafka = context.getBean(KafkaSettings.class);
            assertEquals("broker-a:9092,broker-b:9092", kafka.bootstrapServers());
            assertEquals(3, kafka.partitions());
            assertEquals((short) 2, kafka.replicationFactor());
            assertEquals(Duration.ofSeconds(7), kafka.adminTimeout());
            assertEquals(Duration.ofHours(1), kafka.outcomesRetention());
            assertEquals("c.commands", kafka.commandsTopic());
            assertEquals("c.events", kafka.eventsTopic());
            assertEquals("c.outcomes", kafka.outcomesTopic());
            assertEquals("c.dead", kafka.deadLettersTopic());
            assertEquals(
                    "http://registry:8081",
                    context.getBean(RegistrySettings.class).url());
        }
    }

    @Test
    void shouldApplyTheDocumentedDefaults() {
        try (ApplicationContext context = ApplicationContext.run(required())) {
            assertEquals(
                    "hub.dead-letters", context.getBean(KafkaSettings.class).deadLettersTopic());
            assertEquals(
                    Duration.ofSeconds(2), context.getBean(HealthSettings.class).cacheFor());
            SecretsSettings secrets = context.getBean(SecretsSettings.class);
            assertEquals("", secrets.keysetJson());
            assertEquals("", secrets.keysetFile());
        }
    }

    @Test
    void shouldTakeAnEmptyKeysetSettingAsNone() {
        Map<String, Object> p = required();
        p.put("hub.secrets.keyset-json", "");
        p.put("hub.secrets.keyset-file", "/run/keyset.json");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            SecretsSettings secrets = context.getBean(SecretsSettings.class);
            assertEquals("", secrets.keysetJson());
            assertEquals("/run/keyset.json", secrets.keysetFile());
        }
    }

    @Test
    void shouldRefuseToStartWithoutARequiredKafkaKey() {
        for (String key : required().keySet()) {
            if (!key.startsWith("hub.kafka.")) continue;
            Map<String, Object> p = required();
            p.remove(key);
            try (ApplicationContext context = ApplicationContext.run(p)) {
                var e = assertThrows(
                        DependencyInjectionException.class,
                        () -> context.getBean(KafkaSettings.class),
                        "without " + key);
                String property = key.substring(key.lastIndexOf('.') + 1);
                assertTrue(e.getMessage().contains(camel(property)), key + ": " + e.getMessage());
            }
        }
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        for (String part : kebab.split("-")) {
            out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }
}
