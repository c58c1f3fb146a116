package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.refresher.support.Deployment;
import com.integrationshub.refresher.support.RefresherInstance;
import com.integrationshub.registry.LocalSchemaRegistry;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.TestTokens;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token-refresher against a cluster that wants a SASL login and a registry that wants basic auth: with the right
 * credentials it starts, joins its consumer group and reports both healthy; with a wrong password (Kafka's or the
 * registry's) the start fails at once, naming the setting.
 */
class KafkaSecurityIntegrationTest {

    private static final SchemaRegistryClient.BasicAuth REGISTRY_CREDENTIALS =
            new SchemaRegistryClient.BasicAuth("registry-key", "registry-secret");
    private static final Duration WAIT = Duration.ofSeconds(60);

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
        props.put("micronaut.server.port", 0);
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
    void shouldStartJoinItsGroupAndReportHealthyWithPlainCredentials() throws Exception {
        Deployment deployment = Deployment.fresh(2, managed("PLAIN", HubTestCluster.SASL_PASSWORD));
        try (RefresherInstance refresher = RefresherInstance.start(deployment);
                Admin admin = Admin.create(HubTestCluster.shared().clientConfig())) {
            String group = (String) deployment.properties().get("hub.refresher.group-id");
            Poll.until(WAIT, () -> members(admin, group), n -> n > 0, "the refresher's consumer in group " + group);

            Http http = new Http(refresher.url(), TestTokens.admin());
            var health = Poll.until(WAIT, () -> http.get("/health"), r -> r.status() == 200, "a healthy refresher");
            assertEquals("UP", health.json().at("/details/kafka/status").asText(), health.body());
            assertEquals(
                    "UP", health.json().at("/details/schema-registry/status").asText(), health.body());
        }
    }

    @Test
    void shouldFailTheStartNamingThePasswordSettingWhenTheClusterRefusesTheLogin() {
        Deployment deployment = Deployment.fresh(2, managed("SCRAM-SHA-512", "wrong-password-value"));
        long started = System.nanoTime();
        ApplicationContext context =
                ApplicationContext.builder().properties(deployment.properties()).build();
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
        assertFalse(messages.contains("wrong-password-value"), messages);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "the start should fail at once, took " + took);
    }

    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(5, TimeUnit.SECONDS)
                    .get(group)
                    .members()
                    .size();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void shouldFailTheStartNamingTheRegistrySettingsWhenTheRegistryRefusesTheLogin() {
        Map<String, Object> managed = managed("PLAIN", HubTestCluster.SASL_PASSWORD);
        managed.put("hub.registry.password", "wrong-registry-secret");
        Map<String, Object> props = Deployment.fresh(2, managed).properties();
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
