package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Secrets written through the API (defaults, mapping overrides, refused and deleted ones) never appear in clear in
 * the raw bytes of any topic of the deployment (its changelogs included), in any log line, or in any answer except
 * the org-scoped and global views that reveal them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsLeakTest {

    private static final String RUN =
            UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String DEFAULT_SECRET = "sk_live_default_" + RUN;
    private static final String REPLACED_SECRET = "sk_live_replaced_" + RUN;
    private static final String UNICODE_SECRET = "pässwörd-🔑-" + RUN;
    private static final String ORG_SECRET = "sk_live_org_" + RUN;
    private static final String OTHER_ORG_SECRET = "pw-other-org-" + RUN;
    private static final String DELETED_SECRET = "sk_live_deleted_" + RUN;
    private static final String REFUSED_SECRET = "sk_live_refused_" + RUN;
    private static final String STALE_SECRET = "sk_live_stale_" + RUN;
    private static final List<String> SECRETS = List.of(
            DEFAULT_SECRET,
            REPLACED_SECRET,
            UNICODE_SECRET,
            ORG_SECRET,
            OTHER_ORG_SECRET,
            DELETED_SECRET,
            REFUSED_SECRET,
            STALE_SECRET);
    /** Not a secret: it must show up in the topics, or the scan would prove nothing. */
    private static final String CONTROL = "Entity Name " + RUN;

    private static final String VAULT = "/v1/integrations/Vault";

    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static PrintStream originalErr;
    private static Level originalLevel;

    private static HubInstance.Deployment deployment;
    private static HubInstance hub;
    private static Http admin;
    private static final List<Http.Reply> MASKED_ANSWERS = new ArrayList<>();

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LOGS.setName("secrets-leak-test");
        LOGS.start();
        root.addAppender(LOGS);
        Logger ours = (Logger) LoggerFactory.getLogger("com.integrationshub");
        originalLevel = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, CONSOLE), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, CONSOLE), true, StandardCharsets.UTF_8));

        deployment = HubInstance.Deployment.fresh();
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
    }

    @AfterAll
    static void stop() {
        try {
            if (hub != null) hub.close();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
            ((Logger) LoggerFactory.getLogger("com.integrationshub")).setLevel(originalLevel);
        }
    }

    @Test
    @Order(1)
    void shouldStoreTheSecretsAndRevealThemOnlyInTheOrgAndGlobalViews() {
        expect(201, admin.post("/v1/integrations", """
                {"name": "Vault", "auth_scheme": "API_KEY", "credential_headers": {"Authorization": "Bearer {api_key}"},
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret"}, {"key": "password", "type": "secret"},
                                   {"key": "timeout", "type": "int"}]}"""));
        expect(
                200,
                admin.put(
                        VAULT + "/defaults",
                        "{\"config\": {\"base_url\": \"https://vault\", \"api_key\": \"%s\"}}"
                                .formatted(REPLACED_SECRET)));
        expect(
                200,
                admin.put(
                        VAULT + "/defaults",
                        "{\"config\": {\"base_url\": \"https://vault\", \"api_key\": \"%s\", \"password\": \"%s\"}}"
                                .formatted(DEFAULT_SECRET, UNICODE_SECRET)));
        expect(
                201,
                admin.put(
                        VAULT + "/mappings/org-1",
                        "{\"entity_id\": \"t-1\", \"entity_name\": \"%s\", \"config\": {\"api_key\": \"%s\"}}"
                                .formatted(CONTROL, ORG_SECRET)));
        expect(
                201,
                admin.put(
                        VAULT + "/mappings/org-2",
                        "{\"entity_id\": \"t-2\", \"config\": {\"password\": \"%s\"}}".formatted(OTHER_ORG_SECRET)));
        expect(
                201,
                admin.put(
                        VAULT + "/mappings/org-3",
                        "{\"entity_id\": \"t-3\", \"config\": {\"api_key\": \"%s\"}}".formatted(DELETED_SECRET)));
        assertEquals(204, admin.delete(VAULT + "/mappings/org-3").status(), "delete org-3's mapping");
        // Refused by the decider after the HTTP layer sealed the secret: the command carried it.
        expect(
                422,
                admin.put(
                        VAULT + "/defaults",
                        "{\"config\": {\"base_url\": \"https://vault\", \"api_key\": \"%s\", \"timeout\": \"soon\"}}"
                                .formatted(REFUSED_SECRET)));
        expect(
                412,
                admin.send(
                        "PUT",
                        VAULT + "/mappings/org-1",
                        "{\"entity_id\": \"t-1\", \"config\": {\"api_key\": \"%s\"}}".formatted(STALE_SECRET),
                        Map.of("If-Match", "\"9\"")));
        expect(200, admin.patch(VAULT, "{\"description\": \"patched after the secrets\"}"));

        var org1 = admin.as(TestTokens.org("org-1"))
                .get("/v1/orgs/org-1/integrations/Vault")
                .json()
                .get("config");
        assertEquals(ORG_SECRET, org1.get("api_key").asText(), "org-1's view reveals its override");
        assertEquals(
                UNICODE_SECRET, org1.get("password").asText(), "org-1's view reveals the default it does not override");
        var org2 = admin.as(TestTokens.org("org-2"))
                .get("/v1/orgs/org-2/integrations/Vault")
                .json()
                .get("config");
        assertEquals(DEFAULT_SECRET, org2.get("api_key").asText(), "org-2's view reveals the default");
        assertEquals(OTHER_ORG_SECRET, org2.get("password").asText(), "org-2's view reveals its override");
        var org3 = admin.get("/v1/orgs/org-3/integrations/Vault").json().get("config");
        assertEquals(DEFAULT_SECRET, org3.get("api_key").asText(), "org-3's deleted override is gone");
        assertEquals(
                DEFAULT_SECRET,
                admin.get(VAULT + "/global").json().get("config").get("api_key").asText(),
                "the global view reveals the default");

        for (String path : List.of(
                VAULT,
                "/v1/integrations",
                VAULT + "/mappings",
                VAULT + "/mappings?entity_id=t-1",
                VAULT + "/mappings/org-1",
                VAULT + "/mappings/org-2",
                VAULT + "/history",
                VAULT + "/mappings/org-3")) {
            MASKED_ANSWERS.add(admin.get(path));
        }
        for (Http.Reply reply : MASKED_ANSWERS) {
            for (String secret : SECRETS) {
                assertFalse(
                        reply.body().contains(secret),
                        "an answer that masks secrets contains " + secret + ": " + reply.body());
            }
        }
    }

    @Test
    @Order(2)
    void shouldKeepEverySecretOutOfTheRawBytesOfEveryTopicOfTheDeployment() {
        String applicationId = (String) deployment.properties().get("hub.streams.application-id");
        Set<String> own = Set.of(deployment.commandsTopic(), deployment.eventsTopic(), (String)
                deployment.properties().get("hub.kafka.topics.outcomes"));
        BrokerTopics broker = new BrokerTopics((String) deployment.properties().get("hub.kafka.bootstrap-servers"));
        Set<String> names = broker.names(n -> own.contains(n) || n.startsWith(applicationId + "-"));
        assertTrue(names.containsAll(own), "the deployment's topics exist: " + names);
        for (String store : List.of("processed-commands", "integrations-view", "mappings-view")) {
            assertTrue(
                    names.contains(applicationId + "-" + store + "-changelog"),
                    "the changelog of " + store + " is scanned: " + names);
        }

        List<String> leaks = new ArrayList<>();
        boolean controlSeen = false;
        int records = 0;
        for (String topic : names) {
            for (BrokerTopics.RawRecord record : broker.read(topic)) {
                records++;
                controlSeen |= record.contains(CONTROL.getBytes(StandardCharsets.UTF_8));
                for (String secret : SECRETS) {
                    if (record.contains(secret.getBytes(StandardCharsets.UTF_8))) {
                        leaks.add(secret + " in " + record.topic() + "-" + record.partition() + "@" + record.offset());
                    }
                }
            }
        }
        assertTrue(records > 20, "the scan read the deployment's records, read " + records);
        assertTrue(
                controlSeen,
                "the scan finds a plaintext that is not a secret (" + CONTROL + "), so it would find a secret");
        assertEquals(List.of(), leaks, "secrets in clear on the broker");
    }

    @Test
    @Order(3)
    void shouldKeepEverySecretOutOfTheLogs() {
        List<String> lines = new ArrayList<>();
        synchronized (LOGS) {
            for (ILoggingEvent event : LOGS.list) lines.add(render(event));
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("accepted")),
                "the capture sees the service's own log lines (a command accepted), got " + lines.size() + " lines");
        String console = CONSOLE.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("accepted"), "the console capture sees the service's output");

        List<String> leaks = new ArrayList<>();
        for (String secret : SECRETS) {
            lines.stream().filter(l -> l.contains(secret)).forEach(l -> leaks.add(secret + " in log line: " + l));
            if (console.contains(secret)) leaks.add(secret + " on the console");
        }
        assertEquals(List.of(), leaks, "secrets in clear in the logs");
    }

    // ---- fixtures ----

    private static void expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), () -> "expected " + status + ", got " + reply);
        MASKED_ANSWERS.add(reply);
    }

    /** Everything a log line carries: logger, message with arguments, MDC, and the whole throwable chain. */
    private static String render(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        event.getMDCPropertyMap()
                .forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        if (event.getArgumentArray() != null) {
            for (Object arg : event.getArgumentArray()) out.append(' ').append(arg);
        }
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            out.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray())
                out.append(' ').append(frame);
        }
        return out.toString();
    }

    /** Writes to the console as before and into the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            try {
                first.write(b);
            } catch (java.io.IOException e) {
                // the original console is best effort
            }
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                first.write(b, off, len);
            } catch (java.io.IOException e) {
                // the original console is best effort
            }
            synchronized (second) {
                second.write(b, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
