package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.query.commands.CommandGateway;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The failure, with the record budget switched off so it reaches Kafka: a command whose CredentialsSet event
 * is over Kafka's record limit. Kafka refuses the event, the transaction aborts, and on the replay the command is
 * rejected with a 500 problem; Streams keeps running, and a restart on the same state dir serves too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnwritableResultTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private static HubInstance.Deployment deployment;
    private static Path stateDir;
    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        deployment = HubInstance.Deployment.fresh(Map.of("hub.commands.max-record-bytes", FOUR_MIB));
        // A commands topic that takes a 1.2 MB command, so the event it yields is what Kafka refuses.
        createTopic(
                deployment.commandsTopic(), Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(FOUR_MIB)));
        stateDir = HubInstance.newStateDir();
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        assertEquals(
                201, admin.post("/v1/integrations", integrationBody("Keys")).status(), "create Keys");
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    @Order(1)
    void shouldRejectACommandWhoseEventKafkaRefusesAndKeepServing() throws Exception {
        CompletableFuture<CommandOutcome> answer =
                hub.context().getBean(CommandGateway.class).expect("too-large-for-kafka", WAIT);

        produce(deployment.commandsTopic(), "Keys", credentials("too-large-for-kafka", 1_200_000));

        CommandOutcome outcome = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(outcome.getAccepted(), "expected the command rejected, got " + outcome);
        assertEquals(500, outcome.getProblem().getStatus(), "expected a 500 problem, got " + outcome.getProblem());
        PipelineFixture.awaitSettled(WAIT, hub);
        assertWritesWork("sk-after");
    }

    @Test
    @Order(2)
    void shouldServeAfterARestartOnTheSameStateDir() {
        hub.close();
        hub = HubInstance.start(deployment, stateDir, HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        PipelineFixture.awaitSettled(WAIT, hub);

        assertEquals(KafkaStreams.State.RUNNING, PipelineFixture.streams(hub).state());
        Http.Reply credentials = Await.until(
                WAIT,
                () -> admin.get("/v1/orgs/org-a/integrations/Keys/credentials"),
                reply -> reply.status() != 503,
                "the credentials to be readable after the restart");
        assertEquals("Bearer sk-after", credentials.json().path("Authorization").asText(), "got " + credentials);
        assertWritesWork("sk-restarted");
    }

    private static void assertWritesWork(String key) {
        Http.Reply connect = admin.post(
                "/v1/orgs/org-a/integrations/Keys/connect",
                "{\"auth_scheme\": \"API_KEY\", \"data\": {\"api_key\": \"" + key + "\"}}");
        assertEquals(201, connect.status(), "expected the connect to answer 201, got " + connect);
        Http.Reply credentials = admin.get("/v1/orgs/org-a/integrations/Keys/credentials");
        assertEquals("Bearer " + key, credentials.json().path("Authorization").asText(), "got " + credentials);
        assertTrue(admin.get("/v1/integrations/Keys").status() == 200, "the integration reads");
    }

    private static SetCredentials credentials(String commandId, int ciphertextBytes) {
        return SetCredentials.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(Instant.now())
                .setIssuedBy("test")
                .setConnectionId("c-1")
                .setIntegrationName("Keys")
                .setOrgId("org-a")
                .setAuthScheme(AuthScheme.API_KEY)
                .setValues(Map.of(
                        "api_key",
                        SealedSecret.newBuilder()
                                .setKeyId(1L)
                                .setCiphertext(ByteBuffer.wrap(new byte[ciphertextBytes]))
                                .build()))
                .build();
    }

    private static void produce(String topic, String key, SpecificRecord command) throws Exception {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, FOUR_MIB);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(
                props,
                new StringSerializer(),
                new AvroSerializer(
                        new SchemaRegistryClient(HubTestCluster.shared().registryUrl())))) {
            producer.send(new ProducerRecord<>(topic, key, command)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void createTopic(String name, Map<String, String> configs) {
        Properties props = new Properties();
        props.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                HubTestCluster.shared().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(name, 3, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not create " + name, e);
        }
    }
}
