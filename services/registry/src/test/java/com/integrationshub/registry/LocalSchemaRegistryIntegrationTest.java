package com.integrationshub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local registry's REST API against a real broker, request by request as Confluent's API documentation
 * describes it: paths, JSON shapes, status codes, error codes, content type.
 */
class LocalSchemaRegistryIntegrationTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Schema V1 = ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"}]");
    private static final Schema V2_WITH_DEFAULT = ProbeRecord.schema(
            "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]");
    private static final Schema V2_WITHOUT_DEFAULT =
            ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"}]");

    @TempDir
    static Path kafkaDir;

    private static EmbeddedKafkaBroker broker;
    private static LocalSchemaRegistry registry;

    private record Answer(int status, JsonNode body) {}

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(kafkaDir);
        registry = LocalSchemaRegistry.start(broker.bootstrapServers(), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldListenOnLoopbackAtTheGivenOrAFreePort() {
        assertTrue(registry.port() > 0);
        assertEquals("http://127.0.0.1:" + registry.port(), registry.url());
    }

    @Test
    void shouldRegisterSchemaAndAnswerOnlyItsId() {
        final Answer answer = post("/subjects/" + subject() + "/versions", schemaBody(V1));

        assertEquals(200, answer.status(), answer.toString());
        assertEquals(Set.of("id"), fieldNames(answer.body()));
        assertTrue(answer.body().get("id").isInt() && answer.body().get("id").intValue() > 0, answer.toString());
    }

    @Test
    void shouldAnswerSameIdWhenSameSchemaIsRegisteredAgain() {
        final String subject = subject();
        final int first = post("/subjects/" + subject + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();
        final int again = post("/subjects/" + subject + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();

        assertEquals(first, again);
        assertEquals(List.of(1), versionsOf(subject));
    }

    @Test
    void shouldReuseGlobalIdForSameSchemaUnderAnotherSubject() {
        final String a = subject();
        final String b = subject();
        final Schema shared = ProbeRecord.schema("[{\"name\":\"shared\",\"type\":\"long\"}]");
        final int idA = post("/subjects/" + a + "/versions", schemaBody(shared))
                .body()
                .get("id")
                .intValue();
        final int idB = post("/subjects/" + b + "/versions", schemaBody(shared))
                .body()
                .get("id")
                .intValue();

        assertEquals(idA, idB);
        assertEquals(
                1,
                get("/subjects/" + b + "/versions/latest").body().get("version").intValue());
    }

    @Test
    void shouldGiveDifferentSchemasDifferentIds() {
        final String subject = subject();
        final int v1 = post("/subjects/" + subject + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();
        final int v2 = post("/subjects/" + subject + "/versions", schemaBody(V2_WITH_DEFAULT))
                .body()
                .get("id")
                .intValue();

        assertNotEquals(v1, v2);
        assertEquals(List.of(1, 2), versionsOf(subject));
    }

    @Test
    void shouldRefuseInvalidSchemaWith42201() {
        final String subject = subject();
        final Answer noName =
                post("/subjects/" + subject + "/versions", "{\"schema\":\"{\\\"type\\\":\\\"record\\\"}\"}");
        final Answer notJson = post("/subjects/" + subject + "/versions", "{\"schema\":\"not a schema\"}");
        final Answer badDefault = post(
                "/subjects/" + subject + "/versions",
                schemaBody(
                        "{\"type\":\"record\",\"name\":\"P\",\"fields\":[{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}]}"));
        final Answer empty = post("/subjects/" + subject + "/versions", "{}");

        for (Answer answer : List.of(noName, notJson, badDefault, empty)) {
            assertError(answer, 422, 42201);
        }
        assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
    }

    @Test
    void shouldAnswerSchemaById() throws IOException {
        final int id = post("/subjects/" + subject() + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();

        final Answer answer = get("/schemas/ids/" + id);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals(Set.of("schema"), fieldNames(answer.body()));
        assertEquals(V1, new Schema.Parser().parse(answer.body().get("schema").asText()));
    }

    @Test
    void shouldAnswer40403ForUnknownSchemaId() {
        assertError(get("/schemas/ids/987654"), 404, 40403);
    }

    @Test
    void shouldListSubjects() {
        final String a = subject();
        final String b = subject();
        post("/subjects/" + a + "/versions", schemaBody(V1));
        post("/subjects/" + b + "/versions", schemaBody(V1));

        final Answer answer = get("/subjects");

        assertEquals(200, answer.status());
        assertTrue(answer.body().isArray(), answer.toString());
        final List<String> subjects = new ArrayList<>();
        answer.body().forEach(node -> subjects.add(node.asText()));
        assertTrue(subjects.containsAll(List.of(a, b)), subjects.toString());
    }

    @Test
    void shouldAnswerLatestAndNumberedVersionsWithSubjectVersionIdAndSchema() {
        final String subject = subject();
        final int id1 = post("/subjects/" + subject + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();
        final int id2 = post("/subjects/" + subject + "/versions", schemaBody(V2_WITH_DEFAULT))
                .body()
                .get("id")
                .intValue();

        final Answer latest = get("/subjects/" + subject + "/versions/latest");
        final Answer first = get("/subjects/" + subject + "/versions/1");

        assertEquals(200, latest.status(), latest.toString());
        assertEquals(Set.of("subject", "version", "id", "schema"), fieldNames(latest.body()));
        assertEquals(subject, latest.body().get("subject").asText());
        assertEquals(2, latest.body().get("version").intValue());
        assertEquals(id2, latest.body().get("id").intValue());
        assertEquals(
                V2_WITH_DEFAULT,
                new Schema.Parser().parse(latest.body().get("schema").asText()));
        assertEquals(1, first.body().get("version").intValue());
        assertEquals(id1, first.body().get("id").intValue());
        assertEquals(V1, new Schema.Parser().parse(first.body().get("schema").asText()));
    }

    @Test
    void shouldAnswer40401ForUnknownSubject() {
        assertError(get("/subjects/no-such-subject/versions"), 404, 40401);
        assertError(get("/subjects/no-such-subject/versions/latest"), 404, 40401);
        assertError(get("/subjects/no-such-subject/versions/1"), 404, 40401);
        assertError(post("/compatibility/subjects/no-such-subject/versions/latest", schemaBody(V1)), 404, 40401);
    }

    @Test
    void shouldAnswer40402ForUnknownVersionAnd42202ForInvalidVersion() {
        final String subject = subject();
        post("/subjects/" + subject + "/versions", schemaBody(V1));

        assertError(get("/subjects/" + subject + "/versions/7"), 404, 40402);
        assertError(post("/compatibility/subjects/" + subject + "/versions/7", schemaBody(V1)), 404, 40402);
        assertError(get("/subjects/" + subject + "/versions/first"), 422, 42202);
        assertError(get("/subjects/" + subject + "/versions/0"), 422, 42202);
    }

    @Test
    void shouldRefuseIncompatibleSchemaWith409NamingSubject() {
        final String subject = subject();
        post("/subjects/" + subject + "/versions", schemaBody(V1));

        final Answer answer = post("/subjects/" + subject + "/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertError(answer, 409, 409);
        final String message = answer.body().get("message").asText();
        assertTrue(message.contains("incompatible") && message.contains(subject) && message.contains("note"), message);
        assertEquals(List.of(1), versionsOf(subject), "a refused schema adds no version");
    }

    @Test
    void shouldAnswerSubjectConfigOnlyWhenSetOrDefaultToGlobal() {
        final String subject = subject();
        post("/subjects/" + subject + "/versions", schemaBody(V1));

        assertError(get("/config/" + subject), 404, 40408);
        final Answer fallback = get("/config/" + subject + "?defaultToGlobal=true");
        assertEquals(200, fallback.status());
        assertEquals("BACKWARD", fallback.body().get("compatibilityLevel").asText());

        final Answer put = put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        assertEquals(200, put.status(), put.toString());
        assertEquals(Set.of("compatibility"), fieldNames(put.body()));
        assertEquals("NONE", put.body().get("compatibility").asText());
        final Answer own = get("/config/" + subject);
        assertEquals(Set.of("compatibilityLevel"), fieldNames(own.body()));
        assertEquals("NONE", own.body().get("compatibilityLevel").asText());

        assertEquals(
                200,
                post("/subjects/" + subject + "/versions", schemaBody(V2_WITHOUT_DEFAULT))
                        .status(),
                "NONE accepts a change BACKWARD refuses");
        assertEquals(
                "BACKWARD",
                get("/config").body().get("compatibilityLevel").asText(),
                "a subject's config leaves the global one alone");
    }

    @Test
    void shouldRefuseInvalidCompatibilityLevelWith42203() {
        assertError(put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(put("/config/" + subject(), "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(put("/config/" + subject(), "{}"), 422, 42203);
        assertEquals("BACKWARD", get("/config").body().get("compatibilityLevel").asText());
    }

    @Test
    void shouldCheckCompatibilityAgainstLatestVersion() {
        final String subject = subject();
        post("/subjects/" + subject + "/versions", schemaBody(V1));
        final String path = "/compatibility/subjects/" + subject + "/versions/latest";

        final Answer compatible = post(path, schemaBody(V2_WITH_DEFAULT));
        final Answer incompatible = post(path, schemaBody(V2_WITHOUT_DEFAULT));
        final Answer verbose = post(path + "?verbose=true", schemaBody(V2_WITHOUT_DEFAULT));
        final Answer verboseCompatible = post(path + "?verbose=true", schemaBody(V2_WITH_DEFAULT));

        assertEquals(200, compatible.status(), compatible.toString());
        assertEquals(Set.of("is_compatible"), fieldNames(compatible.body()));
        assertTrue(compatible.body().get("is_compatible").booleanValue());
        assertEquals(200, incompatible.status());
        assertEquals(Set.of("is_compatible"), fieldNames(incompatible.body()));
        assertEquals(false, incompatible.body().get("is_compatible").booleanValue());
        assertEquals(false, verbose.body().get("is_compatible").booleanValue());
        assertTrue(
                verbose.body().get("messages").isArray()
                        && verbose.body().get("messages").size() > 0,
                verbose.toString());
        assertTrue(verbose.body().get("messages").get(0).asText().contains("note"), verbose.toString());
        assertTrue(verboseCompatible.body().get("messages").isEmpty(), verboseCompatible.toString());
        assertError(post(path, "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}"), 422, 42201);
        assertEquals(List.of(1), versionsOf(subject), "checking registers nothing");
    }

    @Test
    void shouldCheckEveryVersionUnderTransitiveLevel() {
        final Schema v3 = V2_WITHOUT_DEFAULT;
        final String plain = subject();
        final String transitive = subject();
        for (String subject : List.of(plain, transitive)) {
            post("/subjects/" + subject + "/versions", schemaBody(V1));
            post("/subjects/" + subject + "/versions", schemaBody(V2_WITH_DEFAULT));
        }
        put("/config/" + transitive, "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");

        assertEquals(
                200,
                post("/subjects/" + plain + "/versions", schemaBody(v3)).status(),
                "BACKWARD compares with the latest version only, which gave the field a value");
        assertError(post("/subjects/" + transitive + "/versions", schemaBody(v3)), 409, 409);
        assertEquals(
                false,
                post("/compatibility/subjects/" + transitive + "/versions/latest", schemaBody(v3))
                        .body()
                        .get("is_compatible")
                        .booleanValue());
        assertEquals(
                true,
                post("/compatibility/subjects/" + transitive + "/versions/2", schemaBody(v3))
                        .body()
                        .get("is_compatible")
                        .booleanValue(),
                "a numbered version is compared with that version only");
    }

    @Test
    void shouldSetGlobalConfigOnItsOwnTopic() {
        try (LocalSchemaRegistry own = LocalSchemaRegistry.start(
                broker.bootstrapServers(), "127.0.0.1", 0, "_schemas_global_config", (short) 1)) {
            assertEquals(
                    "BACKWARD",
                    get(own, "/config").body().get("compatibilityLevel").asText());

            final Answer put = put(own, "/config", "{\"compatibility\":\"FULL\"}");

            assertEquals(200, put.status(), put.toString());
            assertEquals("FULL", put.body().get("compatibility").asText());
            assertEquals(
                    "FULL", get(own, "/config").body().get("compatibilityLevel").asText());
            assertEquals(
                    "FULL",
                    get(own, "/config/anything?defaultToGlobal=true")
                            .body()
                            .get("compatibilityLevel")
                            .asText());
        }
    }

    @Test
    void shouldAnswerSameIdsAfterRestartOnSameTopic() {
        final String topic = "_schemas_restart";
        final String subjectA = "restart-a";
        final String subjectB = "restart-b";
        final int idA1;
        final int idA2;
        final int idB1;
        final int port;
        try (LocalSchemaRegistry first =
                LocalSchemaRegistry.start(broker.bootstrapServers(), "127.0.0.1", 0, topic, (short) 1)) {
            port = first.port();
            idA1 = post(first, "/subjects/" + subjectA + "/versions", schemaBody(V1))
                    .body()
                    .get("id")
                    .intValue();
            idA2 = post(first, "/subjects/" + subjectA + "/versions", schemaBody(V2_WITH_DEFAULT))
                    .body()
                    .get("id")
                    .intValue();
            idB1 = post(first, "/subjects/" + subjectB + "/versions", schemaBody(V2_WITH_DEFAULT))
                    .body()
                    .get("id")
                    .intValue();
            put(first, "/config/" + subjectB, "{\"compatibility\":\"FORWARD\"}");
        }
        try (LocalSchemaRegistry again =
                LocalSchemaRegistry.start(broker.bootstrapServers(), "127.0.0.1", port, topic, (short) 1)) {
            assertEquals(port, again.port());
            assertEquals(
                    List.of(subjectA, subjectB),
                    textList(get(again, "/subjects").body()));
            assertEquals(
                    idA1,
                    post(again, "/subjects/" + subjectA + "/versions", schemaBody(V1))
                            .body()
                            .get("id")
                            .intValue());
            assertEquals(
                    idA2,
                    get(again, "/subjects/" + subjectA + "/versions/latest")
                            .body()
                            .get("id")
                            .intValue());
            assertEquals(idB1, idA2, "the same schema kept its global id");
            assertEquals(
                    List.of(1, 2),
                    textList(get(again, "/subjects/" + subjectA + "/versions").body()).stream()
                            .map(Integer::valueOf)
                            .toList());
            assertEquals(
                    V1,
                    new Schema.Parser()
                            .parse(get(again, "/schemas/ids/" + idA1)
                                    .body()
                                    .get("schema")
                                    .asText()));
            assertEquals(
                    "FORWARD",
                    get(again, "/config/" + subjectB)
                            .body()
                            .get("compatibilityLevel")
                            .asText());

            final Schema fresh = ProbeRecord.schema("[{\"name\":\"after_restart\",\"type\":\"int\"}]");
            final int freshId = post(again, "/subjects/restart-c/versions", schemaBody(fresh))
                    .body()
                    .get("id")
                    .intValue();
            assertEquals(Math.max(idA1, idA2) + 1, freshId, "new ids continue after the highest one kept");
        }
    }

    @Test
    void shouldKeepSchemasAndConfigsInCompactedSinglePartitionTopic() throws Exception {
        final String subject = subject();
        final int id = post("/subjects/" + subject + "/versions", schemaBody(V1))
                .body()
                .get("id")
                .intValue();
        put("/config/" + subject, "{\"compatibility\":\"FULL\"}");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            final TopicDescription description = admin.describeTopics(List.of("_schemas"))
                    .allTopicNames()
                    .get()
                    .get("_schemas");
            assertEquals(1, description.partitions().size());
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            final Config config =
                    admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
        final List<ConsumerRecord<String, String>> records = readAll("_schemas");
        final ConsumerRecord<String, String> schemaRecord = records.stream()
                .filter(r -> r.key().contains("\"SCHEMA\"") && r.key().contains(subject))
                .findFirst()
                .orElseThrow();
        final JsonNode key = JSON.readTree(schemaRecord.key());
        final JsonNode value = JSON.readTree(schemaRecord.value());
        assertEquals("SCHEMA", key.get("keytype").asText());
        assertEquals(subject, key.get("subject").asText());
        assertEquals(1, key.get("version").intValue());
        assertEquals(1, key.get("magic").intValue());
        assertEquals(subject, value.get("subject").asText());
        assertEquals(1, value.get("version").intValue());
        assertEquals(id, value.get("id").intValue());
        assertEquals(V1, new Schema.Parser().parse(value.get("schema").asText()));
        final ConsumerRecord<String, String> configRecord = records.stream()
                .filter(r -> r.key().contains("\"CONFIG\"") && r.key().contains(subject))
                .findFirst()
                .orElseThrow();
        assertEquals("CONFIG", JSON.readTree(configRecord.key()).get("keytype").asText());
        assertEquals(
                "FULL",
                JSON.readTree(configRecord.value()).get("compatibilityLevel").asText());
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsWithJsonErrors() {
        assertError(get("/nowhere"), 404, 404);
        assertError(
                send(
                        registry,
                        HttpRequest.newBuilder(URI.create(registry.url() + "/subjects"))
                                .DELETE()),
                405,
                405);
        assertError(post("/subjects/" + subject() + "/versions", "this is not json"), 400, 400);
    }

    // ---- helpers

    @Test
    void shouldTakeOnlyTheConfiguredCredentialsWhenStartedWithThem() {
        final var credentials = new SchemaRegistryClient.BasicAuth("registry-key", "registry-secret");
        try (LocalSchemaRegistry guarded = LocalSchemaRegistry.start(
                broker.bootstrapServers(), "127.0.0.1", 0, "_schemas_guarded", (short) 1, credentials)) {
            final Duration timeout = Duration.ofSeconds(10);
            final SchemaRegistryClient withCredentials =
                    new SchemaRegistryClient(guarded.url(), timeout, timeout, credentials, null);
            final int id = withCredentials.register(subject(), V1);
            assertEquals(V1, withCredentials.schemaById(id));
            assertEquals(200, withCredentials.probe(timeout));

            final SchemaRegistryClient withoutCredentials = new SchemaRegistryClient(guarded.url());
            assertEquals(401, withoutCredentials.probe(timeout));
            final SchemaRegistryClient wrongPassword = new SchemaRegistryClient(
                    guarded.url(),
                    timeout,
                    timeout,
                    new SchemaRegistryClient.BasicAuth("registry-key", "not-the-secret"),
                    null);
            final SchemaRegistryException refused =
                    assertThrows(SchemaRegistryException.class, () -> wrongPassword.register(subject(), V1));
            assertEquals(401, refused.status());
            assertTrue(refused.getMessage().contains("hub.registry.password"), refused.getMessage());
            assertFalse(refused.getMessage().contains("not-the-secret"), refused.getMessage());
            assertTrue(
                    SchemaRegistryException.isUnavailable(refused),
                    "a refused login says nothing about the record: read it again later, never dead-letter it");

            final SchemaRegistryClient fromConfig = SchemaRegistryClient.fromConfig(Map.of(
                    SchemaRegistryClient.REGISTRY_URL_CONFIG,
                    guarded.url(),
                    SchemaRegistryClient.BASIC_AUTH_USER_INFO_CONFIG,
                    "registry-key:registry-secret"));
            assertEquals(V1, fromConfig.schemaById(id));
        }
    }

    private static String subject() {
        return "events-" + UUID.randomUUID().toString().substring(0, 8) + "-com.integrationshub.test.Probe";
    }

    private static String schemaBody(Schema schema) {
        return schemaBody(schema.toString());
    }

    private static String schemaBody(String schemaText) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schemaText));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> versionsOf(String subject) {
        final Answer answer = get("/subjects/" + subject + "/versions");
        assertEquals(200, answer.status(), answer.toString());
        final List<Integer> versions = new ArrayList<>();
        answer.body().forEach(node -> versions.add(node.intValue()));
        return versions;
    }

    private static List<String> textList(JsonNode array) {
        final List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static Set<String> fieldNames(JsonNode object) {
        final Set<String> names = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertError(Answer answer, int status, int errorCode) {
        assertEquals(status, answer.status(), "status of " + answer);
        assertEquals(Set.of("error_code", "message"), fieldNames(answer.body()), answer.toString());
        assertEquals(errorCode, answer.body().get("error_code").intValue(), "error_code of " + answer);
        assertTrue(answer.body().get("message").isTextual()
                && !answer.body().get("message").asText().isBlank());
    }

    private static Answer get(String path) {
        return get(registry, path);
    }

    private static Answer post(String path, String body) {
        return post(registry, path, body);
    }

    private static Answer put(String path, String body) {
        return put(registry, path, body);
    }

    private static Answer get(LocalSchemaRegistry target, String path) {
        return send(
                target, HttpRequest.newBuilder(URI.create(target.url() + path)).GET());
    }

    private static Answer post(LocalSchemaRegistry target, String path, String body) {
        return send(
                target,
                HttpRequest.newBuilder(URI.create(target.url() + path))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer put(LocalSchemaRegistry target, String path, String body) {
        return send(
                target,
                HttpRequest.newBuilder(URI.create(target.url() + path))
                        .header("Content-Type", CONTENT_TYPE)
                        .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer send(LocalSchemaRegistry target, HttpRequest.Builder request) {
        try {
            final HttpResponse<String> response = HTTP.send(
                    request.header("Accept", CONTENT_TYPE)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(
                    CONTENT_TYPE,
                    response.headers().firstValue("Content-Type").orElse(null),
                    "content type of " + request.build().method() + " "
                            + request.build().uri());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            final TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final long end = consumer.endOffsets(List.of(partition)).get(partition);
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
