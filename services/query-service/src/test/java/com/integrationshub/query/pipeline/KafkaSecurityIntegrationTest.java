package com.integrationshub.query.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.LocalSchemaRegistry;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query-service against a cluster that wants a SASL login and a registry that wants basic auth, as a managed
 * Kafka and registry do: with the right credentials every client (admin, producer, consumers, Streams) connects and
 * a write is decided and read back; with a wrong password (Kafka's or the registry's) the start fails at once,
 * naming the setting.
 */
class KafkaSecurityIntegrationTest {

    private static final SchemaRegistryClient.BasicAuth REGISTRY_CREDENTIALS =
            new SchemaRegistryClient.BasicAuth("registry-key", "registry-secret");

    private static LocalSchemaRegistry guardedRegistry;

    @BeforeAll
    static void startRegistry() {
        guardedRegistry = HubTestCluster.shared().startRegistry(REGISTRY_CREDENTIALS);
    }

    @AfterAll
    static void stopRegistry() {
        if (guardedRegistry != null) guardedRegistry.close();
    }

    private static Map<String, Object> managed(String mechanism, String password) {
        HubTestCluster cluster = HubTestCluster.shared();
        Map<String, Object> props = new HashMap<>();
        props.put("hub.kafka.bootstrap-servers", cluster.saslBootstrapServers());
        props.put("hub.kafka.security.protocol", "SASL_PLAINTEXT");
        props.put("hub.kafka.security.sasl.mechanism", mechanism);
        props.put("hub.kafka.security.sasl.username", HubTestCluster.SASL_USER);
        props.put("hub.kafka.security.sasl.password", password);
        props.put("hub.registry.url", guardedRegistry.url());
        props.put("hub.registry.username", REGISTRY_CREDENTIALS.username());
        props.put("hub.registry.password", REGISTRY_CREDENTIALS.password());
        return props;
    }

    @Test
    void shouldWriteAndReadWithScramCredentialsAndRegistryBasicAuth() {
        HubInstance.Deployment deployment =
                HubInstance.Deployment.fresh(managed("SCRAM-SHA-256", HubTestCluster.SASL_PASSWORD));
        try (HubInstance hub = HubInstance.start(deployment)) {
            Http admin = new Http(hub.url(), TestTokens.admin());
            Await.ready(admin);

            var created = admin.post("/v1/integrations", PipelineFixture.integrationBody("Managed"));
            assertEquals(201, created.status(), created.toString());
            var mapping = admin.put(
                    "/v1/integrations/Managed/mappings/org-1",
                    PipelineFixture.mappingBody("tenant-1", Map.of("tier", "gold")));
            assertEquals(201, mapping.status(), mapping.toString());

            var view = new Http(hub.url(), TestTokens.org("org-1")).get("/v1/orgs/org-1/integrations/Managed");
            assertEquals(200, view.status(), view.toString());
            assertEquals("tenant-1", view.json().get("entity_id").asText());
            assertEquals("gold", view.json().get("config").get("tier").asText());
        }
    }

    @Test
    void shouldFailTheStartNamingThePasswordSettingWhenTheClusterRefusesTheLogin() {
        HubInstance.Deployment deployment = HubInstance.Deployment.fresh(managed("PLAIN", "wrong-password-value"));
        long started = System.nanoTime();
        Map<String, Object> props = new HashMap<>(deployment.properties());
        props.put("hub.streams.state-dir", HubInstance.newStateDir().toString());
        ApplicationContext context =
                ApplicationContext.builder().properties(props).build();
        RuntimeException failure;
        try {
            failure = assertThrows(RuntimeException.class, context::start);
        } finally {
            // A failed start leaves the clients it made running; the process would exit, a test JVM goes on.
            context.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        String messages = messages(failure);
        assertTrue(messages.contains("hub.kafka.security.sasl.password"), messages);
        assertTrue(messages.contains("HUB_KAFKA_SASL_PASSWORD"), messages);
        assertTrue(messages.contains(HubTestCluster.SASL_USER), messages);
        assertFalse(messages.contains("wrong-password-value"), messages);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "the start should fail at once, took " + took);
    }

    @Test
    void shouldFailTheStartNamingTheRegistrySettingsWhenTheRegistryRefusesTheLogin() {
        Map<String, Object> managed = managed("SCRAM-SHA-256", HubTestCluster.SASL_PASSWORD);
        managed.put("hub.registry.password", "wrong-registry-secret");
        Map<String, Object> props =
                new HashMap<>(HubInstance.Deployment.fresh(managed).properties());
        props.put("hub.streams.state-dir", HubInstance.newStateDir().toString());
        ApplicationContext context =
                ApplicationContext.builder().properties(props).build();
        RuntimeException failure;
        try {
            failure = assertThrows(RuntimeException.class, context::start);
        } finally {
            context.close();
        }

        String messages = messages(failure);
        assertTrue(messages.contains("hub.registry.password"), messages);
        assertTrue(messages.contains("HUB_REGISTRY_PASSWORD"), messages);
        assertFalse(messages.contains("wrong-registry-secret"), messages);
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
            all.append(t.getMessage()).append('\n');
        return all.toString();
    }
}
