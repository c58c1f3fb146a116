package com.integrationshub.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.runtime.registry.RegistrySettings;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/** hub.kafka.security.* and hub.registry credentials bind from the keys of application.yml and make client configs. */
class KafkaSecurityTest {

    private static Map<String, Object> required() {
        Map<String, Object> p = new HashMap<>();
        p.put("hub.kafka.bootstrap-servers", "broker:9092");
        p.put("hub.kafka.partitions", "3");
        p.put("hub.kafka.replication-factor", "3");
        p.put("hub.kafka.admin-timeout", "5s");
        p.put("hub.kafka.topics.commands", "c");
        p.put("hub.kafka.topics.events", "e");
        p.put("hub.kafka.topics.outcomes", "o");
        p.put("hub.kafka.outcomes-retention", "1h");
        p.put("hub.registry.url", "https://registry.example");
        return p;
    }

    private static KafkaSecurity.Sasl sasl(String mechanism, String user, String password) {
        return new KafkaSecurity.Sasl(mechanism, user, password);
    }

    private static KafkaSecurity security(String protocol, KafkaSecurity.Sasl sasl, KafkaSecurity.Ssl ssl) {
        return new KafkaSecurity(protocol, sasl, ssl);
    }

    private static KafkaSecurity.Ssl noSsl() {
        return new KafkaSecurity.Ssl("", "", "", "", "", "", "", "", "", "", "https");
    }

    @Test
    void shouldConnectInPlainByDefault() {
        try (ApplicationContext context = ApplicationContext.run(required())) {
            KafkaSettings kafka = context.getBean(KafkaSettings.class);
            Properties props = kafka.clientProperties();
            assertEquals("broker:9092", props.get("bootstrap.servers"));
            assertEquals("PLAINTEXT", props.get("security.protocol"));
            assertFalse(props.containsKey("sasl.jaas.config"), props.toString());
            RegistrySettings registry = context.getBean(RegistrySettings.class);
            assertFalse(registry.hasCredentials());
        }
    }

    @Test
    void shouldBindSaslAndTlsKeysIntoEveryClientsProperties() {
        Map<String, Object> p = required();
        p.put("hub.kafka.security.protocol", "sasl_ssl");
        p.put("hub.kafka.security.sasl.mechanism", "SCRAM-SHA-512");
        p.put("hub.kafka.security.sasl.username", "hub-user");
        p.put("hub.kafka.security.sasl.password", "p\"w\\d");
        p.put(
                "hub.kafka.security.ssl.truststore-certificates",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        p.put("hub.kafka.security.ssl.endpoint-identification-algorithm", "");
        p.put("hub.registry.username", "reg-key");
        p.put("hub.registry.password", "reg-secret");
        try (ApplicationContext context = ApplicationContext.run(p)) {
            KafkaSettings kafka = context.getBean(KafkaSettings.class);
            Properties props = kafka.clientProperties();
            assertEquals("SASL_SSL", props.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
            assertEquals(
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"hub-user\""
                            + " password=\"p\\\"w\\\\d\";",
                    props.get("sasl.jaas.config"));
            assertEquals("PEM", props.get("ssl.truststore.type"));
            assertTrue(props.get("ssl.truststore.certificates").toString().contains("BEGIN CERTIFICATE"));
            assertEquals("", props.get("ssl.endpoint.identification.algorithm"));
            assertFalse(kafka.toString().contains("p\"w"), kafka.toString());
            RegistrySettings registry = context.getBean(RegistrySettings.class);
            assertTrue(registry.hasCredentials());
            assertEquals("reg-key", registry.username());
            assertFalse(registry.toString().contains("reg-secret"), registry.toString());
        }
    }

    @Test
    void shouldUsePlainLoginForPlainAndLeaveTlsOutOfSaslPlaintext() {
        Map<String, Object> configs =
                security("SASL_PLAINTEXT", sasl("PLAIN", "u", "p"), noSsl()).clientConfigs();
        assertEquals("PLAIN", configs.get("sasl.mechanism"));
        assertTrue(configs.get("sasl.jaas.config")
                .toString()
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required"));
        assertFalse(configs.containsKey("ssl.endpoint.identification.algorithm"), configs.toString());
    }

    @Test
    void shouldPassKeyStoreFilesForMutualTls() {
        KafkaSecurity.Ssl ssl = new KafkaSecurity.Ssl(
                "/run/ca.p12",
                "trust-pw",
                "PKCS12",
                "",
                "/run/client.p12",
                "key-pw",
                "PKCS12",
                "k-pw",
                "",
                "",
                "https");
        Map<String, Object> configs =
                security("SSL", sasl("PLAIN", "", ""), ssl).clientConfigs();
        assertEquals("SSL", configs.get("security.protocol"));
        assertEquals("/run/ca.p12", configs.get("ssl.truststore.location"));
        assertEquals("trust-pw", configs.get("ssl.truststore.password"));
        assertEquals("/run/client.p12", configs.get("ssl.keystore.location"));
        assertEquals("key-pw", configs.get("ssl.keystore.password"));
        assertEquals("k-pw", configs.get("ssl.key.password"));
        assertEquals("https", configs.get("ssl.endpoint.identification.algorithm"));
        assertFalse(configs.containsKey("sasl.jaas.config"));
        assertFalse(ssl.toString().contains("pw"), ssl.toString());
    }

    @Test
    void shouldRefuseSettingsThatCannotWorkNamingTheSetting() {
        var noUser = assertThrows(
                ConfigException.class,
                () -> security("SASL_SSL", sasl("PLAIN", "", "p"), noSsl()).clientConfigs());
        assertTrue(noUser.getMessage().contains("hub.kafka.security.sasl.username"), noUser.getMessage());
        assertTrue(noUser.getMessage().contains("HUB_KAFKA_SASL_USERNAME"), noUser.getMessage());
        var noPassword = assertThrows(
                ConfigException.class,
                () -> security("SASL_SSL", sasl("PLAIN", "u", ""), noSsl()).clientConfigs());
        assertTrue(noPassword.getMessage().contains("hub.kafka.security.sasl.password"), noPassword.getMessage());
        var mechanism = assertThrows(
                ConfigException.class,
                () -> security("SASL_SSL", sasl("GSSAPI", "u", "p"), noSsl()).clientConfigs());
        assertTrue(mechanism.getMessage().contains("hub.kafka.security.sasl.mechanism"), mechanism.getMessage());
        var protocol = assertThrows(
                ConfigException.class,
                () -> security("TLS", sasl("PLAIN", "u", "p"), noSsl()).clientConfigs());
        assertTrue(protocol.getMessage().contains("hub.kafka.security.protocol"), protocol.getMessage());
    }

    @Test
    void shouldExplainARefusedLoginWithoutThePassword() {
        KafkaSecurity security = security("SASL_SSL", sasl("SCRAM-SHA-256", "hub-user", "s3cret-value"), noSsl());
        String explained = security.explainRefusal(
                "broker:9092",
                new RuntimeException(new SaslAuthenticationException("Authentication failed during authentication")));
        assertTrue(explained.contains("hub.kafka.security.sasl.password"), explained);
        assertTrue(explained.contains("HUB_KAFKA_SASL_PASSWORD"), explained);
        assertTrue(explained.contains("hub-user"), explained);
        assertFalse(explained.contains("s3cret-value"), explained);
        assertNull(security.explainRefusal("broker:9092", new IllegalStateException("something else")));
    }
}
