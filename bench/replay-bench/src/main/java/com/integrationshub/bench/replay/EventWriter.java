package com.integrationshub.bench.replay;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends N events to a fresh events topic as the hub writes them: every event is decided by the domain deciders
 * from a command (so its fields, versions and sealed secrets are what the command processor would append), Avro in
 * the Confluent wire format with schema ids from the registry ({@link AvroSerializer}), keyed by the partition key
 * (integration name, or connection name), written by a transactional producer (the command processor writes under
 * exactly-once, so the log carries transaction markers too).
 *
 * <p>Mix, of N: integrations (0.1 %, each created and given defaults), OAuth connections (0.01 %), connects (4 %,
 * each an AuthorizationStarted and a TokenIssued), refreshes (6 %, each a TokenRefreshAttempted and a
 * TokenRefreshed) and the rest mappings (about 80 %, MappingUpserted; a quarter of them update a mapping already
 * written). The last event is a MappingUpserted of a known org (the sentinel) whose view the readiness clock reads.
 */
final class EventWriter {

    static final String SENTINEL_ORG = "replay-sentinel";

    private final SplittableRandom random = new SplittableRandom(14);
    private final IntegrationDecider integrationDecider = new IntegrationDecider(100);
    private final SecretBox box;
    private final String topic;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final int transactionSize;
    private final AtomicLongArray lastOffsets;
    private final Map<String, Long> counts = new LinkedHashMap<>();

    private final List<IntegrationState> integrations = new ArrayList<>();
    private final List<ConnectionState> connections = new ArrayList<>();
    private final Map<String, MappingState> mappings = new HashMap<>();
    private final List<String> mappingKeys = new ArrayList<>();
    private final Map<String, TokenState> tokens = new HashMap<>();
    private final List<String> tokenIds = new ArrayList<>();
    private int inTransaction;
    private long written;

    private EventWriter(
            SecretBox box, String topic, KafkaProducer<String, SpecificRecord> producer, int tx, int parts) {
        this.box = box;
        this.topic = topic;
        this.producer = producer;
        this.transactionSize = tx;
        this.lastOffsets = new AtomicLongArray(parts);
        for (int p = 0; p < parts; p++) lastOffsets.set(p, -1);
    }

    /** Creates the topic (as TopicProvisioner does: kept forever) and writes about `count` events. */
    static void run(Map<String, String> args) throws Exception {
        String bootstrap = args.get("bootstrap");
        String topic = args.get("topic");
        int partitions = Integer.parseInt(args.getOrDefault("partitions", "6"));
        long count = Long.parseLong(args.getOrDefault("count", "1000000"));
        int tx = Integer.parseInt(args.getOrDefault("transaction-size", "500"));
        Path out = Path.of(args.get("out"));
        SecretBox box = SecretBox.fromJsonKeyset(Files.readString(Path.of(args.get("keyset-file"))));

        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"))))
                    .all()
                    .get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "replay-bench-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        SchemaRegistryClient registry = new SchemaRegistryClient(args.get("registry"));
        long start = System.nanoTime();
        try (KafkaProducer<String, SpecificRecord> producer =
                new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry))) {
            producer.initTransactions();
            EventWriter writer = new EventWriter(box, topic, producer, tx, partitions);
            writer.write(count);
            double seconds = (System.nanoTime() - start) / 1e9;
            StringBuilder offsets = new StringBuilder();
            for (int p = 0; p < partitions; p++)
                offsets.append(p).append('=').append(writer.lastOffsets.get(p)).append('\n');
            Files.writeString(out.resolve("last-offsets.txt"), offsets);
            Files.writeString(
                    out.resolve("sentinel.txt"),
                    "integration=" + writer.integrations.get(0).getName() + "\norg=" + SENTINEL_ORG + "\nentity="
                            + "sentinel-" + count + "\n");
            System.out.printf(
                    "   wrote %,d events in %.1f s (%,.0f/s), transactions of %d: %s%n",
                    writer.written, seconds, writer.written / seconds, tx, writer.counts);
            System.out.printf("RESULT write.events=%d write.seconds=%.1f%n", writer.written, seconds);
        }
    }

    private void write(long count) {
        Instant now = Instant.now();
        int integrationCount = (int) Math.max(10, count / 1000);
        int connectionCount = (int) Math.max(2, count / 10_000);
        long connects = count * 4 / 100;
        long refreshes = count * 6 / 100;
        producer.beginTransaction();
        for (int i = 0; i < integrationCount; i++) createIntegration("replay-int-" + i, now);
        for (int c = 0; c < connectionCount; c++) createConnection("replay-conn-" + c, now);
        long setup = written;
        long remaining = count - setup - 2 * connects - 2 * refreshes - 1;
        long mappingsLeft = Math.max(0, remaining);
        long connectsLeft = connects;
        long refreshesLeft = refreshes;
        while (mappingsLeft + connectsLeft + refreshesLeft > 0) {
            long total = mappingsLeft + connectsLeft + refreshesLeft;
            long pick = random.nextLong(total);
            if (pick < mappingsLeft) {
                upsertMapping(now);
                mappingsLeft--;
            } else if (pick < mappingsLeft + connectsLeft || tokenIds.isEmpty()) {
                connect(now);
                connectsLeft--;
            } else {
                refresh(now);
                refreshesLeft--;
            }
        }
        IntegrationState first = integrations.get(0);
        upsert(first, SENTINEL_ORG, "sentinel-" + count, now);
        producer.commitTransaction();
    }

    private void createIntegration(String name, Instant now) {
        List<ConfigField> schema = List.of(
                new ConfigField("base_url", ConfigFieldType.STRING, true),
                new ConfigField("api_key", ConfigFieldType.SECRET, false),
                new ConfigField("timeout", ConfigFieldType.INT, false),
                new ConfigField("verbose", ConfigFieldType.BOOL, false),
                new ConfigField("custom", ConfigFieldType.STRING, false));
        IntegrationState state = apply(
                name,
                integrationDecider.decide(
                        CreateIntegration.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setName(name)
                                .setDescription("Replay benchmark integration " + name)
                                .setAuthScheme(AuthScheme.API_KEY)
                                .setEntityIdName("tenant_id")
                                .setConfigSchema(schema)
                                .build(),
                        Optional.empty(),
                        now),
                s -> IntegrationDecider.evolve(Optional.empty(), s).orElseThrow());
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("base_url", "https://api.example.com/" + name);
        defaults.put("api_key", box.seal("default-key-" + name, SecretPlaces.integrationDefault(name, "api_key")));
        defaults.put("timeout", 30L);
        IntegrationState withDefaults = apply(
                name,
                integrationDecider.decide(
                        SetIntegrationDefaults.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setName(name)
                                .setConfig(defaults)
                                .build(),
                        Optional.of(state),
                        List.of(),
                        now),
                e -> IntegrationDecider.evolve(Optional.of(state), e).orElseThrow());
        integrations.add(withDefaults);
    }

    private void createConnection(String name, Instant now) {
        ConnectionState state = apply(
                name,
                ConnectionDecider.decide(
                        CreateOAuthConnection.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setConnectionName(name)
                                .setGrantType(GrantType.AUTHORIZATION_CODE)
                                .setClientId("client-" + name)
                                .setClientSecret(box.seal("secret-" + name, SecretPlaces.clientSecret(name)))
                                .setAuthorizationUrl("https://auth.example.com/authorize")
                                .setTokenUrl("https://auth.example.com/token")
                                .setScopes(List.of("read", "write"))
                                .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                                .build(),
                        Optional.empty(),
                        now),
                e -> ConnectionDecider.evolve(Optional.empty(), e).orElseThrow());
        connections.add(state);
    }

    private void upsertMapping(Instant now) {
        // A quarter of the upserts change a mapping already written, the rest map a new org.
        if (!mappingKeys.isEmpty() && random.nextInt(4) == 0) {
            MappingState m = mappings.get(mappingKeys.get(random.nextInt(mappingKeys.size())));
            upsert(integrations.get(indexOf(m.getIntegrationName())), m.getOrgId(), m.getEntityId(), now);
        } else {
            IntegrationState integration = integrations.get(random.nextInt(integrations.size()));
            String org = "org-" + mappingKeys.size();
            upsert(integration, org, "tenant-" + mappingKeys.size(), now);
        }
    }

    private static int indexOf(String integrationName) {
        return Integer.parseInt(integrationName.substring("replay-int-".length()));
    }

    private void upsert(IntegrationState integration, String org, String entity, Instant now) {
        String name = integration.getName();
        String key = Names.mappingKey(name, org);
        Map<String, Object> config = new HashMap<>();
        config.put("custom", "value-" + random.nextInt(1_000_000));
        config.put("timeout", (long) (10 + random.nextInt(50)));
        if (random.nextBoolean()) {
            config.put("api_key", box.seal("key-" + org, SecretPlaces.mappingOverride(name, org, "api_key")));
        }
        Optional<MappingState> current = Optional.ofNullable(mappings.get(key));
        MappingState next = apply(
                name,
                MappingDecider.decide(
                        UpsertMapping.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setIntegrationName(name)
                                .setOrgId(org)
                                .setEntityId(entity)
                                .setEntityName("Tenant " + entity)
                                .setConfig(config)
                                .build(),
                        Optional.of(integration),
                        current,
                        now),
                e -> MappingDecider.evolve(current, e).orElseThrow());
        if (mappings.put(key, next) == null) mappingKeys.add(key);
    }

    private void connect(Instant now) {
        ConnectionState connection = connections.get(random.nextInt(connections.size()));
        String name = connection.getName();
        String org = "org-" + random.nextInt(Math.max(1, mappingKeys.size() + 1));
        String tokenId = Names.tokenId(name, org);
        String stateHash = UUID.randomUUID().toString().replace("-", "");
        String integration =
                integrations.get(random.nextInt(integrations.size())).getName();
        AuthorizationState authorization = apply(
                name,
                TokenDecider.decide(
                        StartAuthorization.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setConnectionId(tokenId)
                                .setStateHash(stateHash)
                                .setConnectionName(name)
                                .setIntegrationName(integration)
                                .setOrgId(org)
                                .setPkceVerifier(box.seal("verifier", SecretPlaces.pkceVerifier(name, stateHash)))
                                .setRedirectUri("https://hub.example.com/v1/oauth/callback")
                                .setExpiresAt(now.plus(Duration.ofMinutes(10)))
                                .setEntityId("tenant-" + org)
                                .build(),
                        Optional.of(connection),
                        now),
                e -> TokenDecider.evolveAuthorization(Optional.empty(), e).orElseThrow());
        Optional<TokenState> current = Optional.ofNullable(tokens.get(tokenId));
        TokenState token = apply(
                name,
                TokenDecider.decide(
                        IssueToken.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("replay-bench")
                                .setTokenId(tokenId)
                                .setConnectionName(name)
                                .setIntegrationName(integration)
                                .setOrgId(org)
                                .setStateHash(stateHash)
                                .setAccessToken(box.seal(secret(), SecretPlaces.accessToken(tokenId)))
                                .setRefreshToken(box.seal(secret(), SecretPlaces.refreshToken(tokenId)))
                                .setExpiresAt(now.plus(Duration.ofHours(1)))
                                .setScopes(List.of("read", "write"))
                                .setEntityId("tenant-" + org)
                                .build(),
                        Optional.of(connection),
                        Optional.of(authorization),
                        current,
                        now),
                e -> TokenDecider.evolve(current, e).orElseThrow());
        if (tokens.put(tokenId, token) == null) tokenIds.add(tokenId);
    }

    private void refresh(Instant now) {
        String tokenId = tokenIds.get(random.nextInt(tokenIds.size()));
        TokenState token = tokens.get(tokenId);
        TokenState attempted = apply(
                token.getConnectionName(),
                TokenDecider.decide(
                        RecordRefreshAttempt.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("token-refresher")
                                .setExpectedVersion(token.getVersion())
                                .setTokenId(tokenId)
                                .setConnectionName(token.getConnectionName())
                                .setOrgId(token.getOrgId())
                                .setRefreshTokenFingerprint(TokenDecider.fingerprint(token.getRefreshToken()))
                                .build(),
                        Optional.of(token),
                        now),
                e -> TokenDecider.evolve(Optional.of(token), e).orElseThrow());
        TokenState refreshed = apply(
                token.getConnectionName(),
                TokenDecider.decide(
                        RecordTokenRefresh.newBuilder()
                                .setCommandId(UUID.randomUUID().toString())
                                .setIssuedAt(now)
                                .setIssuedBy("token-refresher")
                                .setExpectedVersion(attempted.getVersion())
                                .setTokenId(tokenId)
                                .setConnectionName(token.getConnectionName())
                                .setIntegrationName(token.getIntegrationName())
                                .setOrgId(token.getOrgId())
                                .setAccessToken(box.seal(secret(), SecretPlaces.accessToken(tokenId)))
                                .setRefreshToken(box.seal(secret(), SecretPlaces.refreshToken(tokenId)))
                                .setExpiresAt(now.plus(Duration.ofHours(1)))
                                .setAttempts(1)
                                .setRefreshTokenFingerprint(TokenDecider.fingerprint(token.getRefreshToken()))
                                .build(),
                        Optional.of(attempted),
                        now),
                e -> TokenDecider.evolve(Optional.of(attempted), e).orElseThrow());
        tokens.put(tokenId, refreshed);
    }

    private String secret() {
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    /** Appends the decision's one event (keyed `key`) and returns the state folded from it. */
    private <S> S apply(String key, Decision decision, Function<SpecificRecord, S> fold) {
        if (!decision.accepted()) {
            throw new IllegalStateException("the decider refused a bench command: "
                    + decision.rejection().get());
        }
        SpecificRecord event = decision.events().get(0);
        send(key, event);
        return fold.apply(event);
    }

    private void send(String key, SpecificRecord event) {
        producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
            if (error != null) {
                System.err.println("send failed: " + error);
                return;
            }
            lastOffsets.accumulateAndGet(metadata.partition(), metadata.offset(), Math::max);
        });
        counts.merge(event.getSchema().getName(), 1L, Long::sum);
        written++;
        if (++inTransaction >= transactionSize) {
            producer.commitTransaction();
            producer.beginTransaction();
            inTransaction = 0;
        }
    }
}
