package com.integrationshub.refresher.support;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.registry.AvroDeserializer;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.TokenState;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.oauth.MintedGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of the hub around the refresher, over the real broker: it writes the connection and token events
 * a test sets up (keyed by connection name, versions as the token aggregate counts them), reads every command the
 * refresher sends, and, while deciding, decides them with the command processor's own deciders ({@link TokenDecider},
 * over states folded by {@link TokenDecider#evolve} and {@link ConnectionDecider#evolve}; a command id decided once),
 * so the refresher sees the outcomes the hub would give its commands and the stand-in cannot drift from them.
 */
public final class CommandProcessorStandIn implements AutoCloseable {

    /** A command as read from the commands topic. */
    public record Received(Instant at, SpecificRecord command, byte[] raw) {}

    private final Deployment deployment;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final AvroDeserializer deserializer;
    private final Thread reader;
    private final Object lock = new Object();
    private final List<Received> received = new ArrayList<>();
    private final Set<String> decided = new HashSet<>();
    private final List<String> rejected = new ArrayList<>();
    /** The tokens as the command processor's store would hold them: every event written, folded. */
    private final Map<String, TokenState> tokens = new HashMap<>();

    private final Map<String, ConnectionState> connections = new HashMap<>();
    private volatile boolean deciding = true;
    private volatile boolean running = true;

    private CommandProcessorStandIn(Deployment deployment) {
        this.deployment = deployment;
        final HubTestCluster cluster = HubTestCluster.shared();
        final SchemaRegistryClient registry = new SchemaRegistryClient(cluster.registryUrl());
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry));
        this.deserializer = new AvroDeserializer(registry);
        this.reader = new Thread(this::read, "command-processor-stand-in");
        this.reader.setDaemon(true);
    }

    /** Starts reading (and deciding) the deployment's commands. */
    public static CommandProcessorStandIn start(Deployment deployment) {
        final CommandProcessorStandIn standIn = new CommandProcessorStandIn(deployment);
        standIn.reader.start();
        return standIn;
    }

    // ------------------------------------------------------------------------------------------ events a test writes

    /** Writes OAuthConnectionCreated. */
    public void createConnection(ConnectionSpec spec) {
        synchronized (lock) {
            final long version = nextConnectionVersion(spec.name());
            write(
                    spec.name(),
                    OAuthConnectionCreated.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setAggregateId(Names.connectionAggregate(spec.name()))
                            .setVersion(version)
                            .setOccurredAt(Instant.now())
                            .setCausationId("test")
                            .setConnectionName(spec.name())
                            .setGrantType(spec.grantType())
                            .setClientId(spec.clientId())
                            .setClientSecret(
                                    TestKeys.BOX.seal(spec.clientSecret(), SecretPlaces.clientSecret(spec.name())))
                            .setAuthorizationUrl(null)
                            .setTokenUrl(spec.tokenUrl())
                            .setScopes(spec.scopes())
                            .setExtraAuthorizeParams(Map.of())
                            .setClientAuthMethod(spec.clientAuth())
                            .setRefreshMarginSeconds(spec.marginSeconds())
                            .setRefreshTokenRotation(spec.rotation())
                            .setRefreshTokenGrace(spec.graceSeconds())
                            .setCreatedAt(Instant.now())
                            .build());
        }
    }

    /** Writes OAuthConnectionUpdated with the whole new definition. */
    public void updateConnection(ConnectionSpec spec) {
        synchronized (lock) {
            final long version = nextConnectionVersion(spec.name());
            write(
                    spec.name(),
                    OAuthConnectionUpdated.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setAggregateId(Names.connectionAggregate(spec.name()))
                            .setVersion(version)
                            .setOccurredAt(Instant.now())
                            .setCausationId("test")
                            .setConnectionName(spec.name())
                            .setGrantType(spec.grantType())
                            .setClientId(spec.clientId())
                            .setClientSecret(
                                    TestKeys.BOX.seal(spec.clientSecret(), SecretPlaces.clientSecret(spec.name())))
                            .setAuthorizationUrl(null)
                            .setTokenUrl(spec.tokenUrl())
                            .setScopes(spec.scopes())
                            .setExtraAuthorizeParams(Map.of())
                            .setClientAuthMethod(spec.clientAuth())
                            .setRefreshMarginSeconds(spec.marginSeconds())
                            .setRefreshTokenRotation(spec.rotation())
                            .setRefreshTokenGrace(spec.graceSeconds())
                            .build());
        }
    }

    /** Writes OAuthConnectionDeleted: the connection and its tokens are gone. */
    public void deleteConnection(String name) {
        synchronized (lock) {
            final long version = nextConnectionVersion(name);
            write(
                    name,
                    OAuthConnectionDeleted.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setAggregateId(Names.connectionAggregate(name))
                            .setVersion(version)
                            .setOccurredAt(Instant.now())
                            .setCausationId("test")
                            .setConnectionName(name)
                            .build());
        }
    }

    /** Writes TokenIssued for tokens a person just authorized (a first issue, or a reconnect); returns the token id. */
    public String issue(String connection, String orgId, String entityId, MintedGrant grant) {
        final String tokenId = Names.tokenId(connection, orgId);
        synchronized (lock) {
            final TokenState previous = tokens.get(tokenId);
            final long version = previous == null ? 1 : previous.getVersion() + 1;
            write(
                    connection,
                    TokenIssued.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setAggregateId(Names.tokenAggregate(tokenId))
                            .setVersion(version)
                            .setOccurredAt(Instant.now())
                            .setCausationId("test")
                            .setTokenId(tokenId)
                            .setConnectionName(connection)
                            .setIntegrationName("integration-of-" + connection)
                            .setOrgId(orgId)
                            .setStateHash("state-" + version)
                            .setAccessToken(TestKeys.BOX.seal(grant.accessToken(), SecretPlaces.accessToken(tokenId)))
                            .setRefreshToken(
                                    grant.refreshToken() == null
                                            ? null
                                            : TestKeys.BOX.seal(
                                                    grant.refreshToken(), SecretPlaces.refreshToken(tokenId)))
                            .setExpiresAt(grant.expiresAt())
                            .setScopes(List.of("read"))
                            .setIssuedAt(grant.issuedAt())
                            .setEntityId(entityId)
                            .build());
        }
        return tokenId;
    }

    /** Writes TokenRefreshRequested at the token's current version; returns the request id. */
    public String requestRefresh(String connection, String orgId) {
        final String tokenId = Names.tokenId(connection, orgId);
        final String requestId = UUID.randomUUID().toString();
        synchronized (lock) {
            final TokenState token = tokens.get(tokenId);
            write(
                    connection,
                    TokenRefreshRequested.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setAggregateId(Names.tokenAggregate(tokenId))
                            .setVersion(token.getVersion())
                            .setOccurredAt(Instant.now())
                            .setCausationId(requestId)
                            .setTokenId(tokenId)
                            .setConnectionName(connection)
                            .setIntegrationName(token.getIntegrationName())
                            .setOrgId(orgId)
                            .setRequestId(requestId)
                            .build());
        }
        return requestId;
    }

    /**
     * Decides a RecordRefreshAttempt for the token at its current version, as an owner about to present its refresh
     * token would send it, and writes the event; returns the attempt's command id.
     */
    public String recordAttempt(String connection, String orgId) {
        final String tokenId = Names.tokenId(connection, orgId);
        final String commandId = UUID.randomUUID().toString();
        synchronized (lock) {
            final TokenState token = tokens.get(tokenId);
            final Decision decision = TokenDecider.decide(
                    RecordRefreshAttempt.newBuilder()
                            .setCommandId(commandId)
                            .setIssuedAt(Instant.now())
                            .setIssuedBy("token-refresher")
                            .setExpectedVersion(token.getVersion())
                            .setTokenId(tokenId)
                            .setConnectionName(connection)
                            .setOrgId(orgId)
                            .setRefreshTokenFingerprint(TokenDecider.fingerprint(token.getRefreshToken()))
                            .build(),
                    Optional.of(token),
                    Instant.now());
            if (!decision.accepted()) throw new IllegalStateException("attempt refused: " + decision.rejection());
            decision.events().forEach(event -> write(connection, event));
        }
        return commandId;
    }

    /**
     * Decides a RecordTokenRefreshFailure for the token at its current version, as another owner would send it (e.g.
     * {@link TokenDecider#OUTCOME_LOST} by a new owner while the old one is only paused), and writes the event.
     */
    public void recordFailure(String connection, String orgId, String reason, boolean needsReauth) {
        final String tokenId = Names.tokenId(connection, orgId);
        synchronized (lock) {
            final TokenState token = tokens.get(tokenId);
            final Decision decision = TokenDecider.decide(
                    RecordTokenRefreshFailure.newBuilder()
                            .setCommandId(UUID.randomUUID().toString())
                            .setIssuedAt(Instant.now())
                            .setIssuedBy("token-refresher")
                            .setExpectedVersion(token.getVersion())
                            .setTokenId(tokenId)
                            .setConnectionName(connection)
                            .setIntegrationName(token.getIntegrationName())
                            .setOrgId(orgId)
                            .setReason(reason)
                            .setAttempts(1)
                            .setNeedsReauth(needsReauth)
                            .build(),
                    Optional.of(token),
                    Instant.now());
            if (!decision.accepted()) throw new IllegalStateException("failure refused: " + decision.rejection());
            decision.events().forEach(event -> write(connection, event));
        }
    }

    /** Returns the token as the command processor's store would hold it, or empty when there is none. */
    public Optional<TokenState> token(String tokenId) {
        synchronized (lock) {
            return Optional.ofNullable(tokens.get(tokenId));
        }
    }

    /** Returns the token's status (active, needs_reauth, revoked), or null when it has none. */
    public String status(String tokenId) {
        synchronized (lock) {
            final TokenState token = tokens.get(tokenId);
            return token == null ? null : token.getStatus();
        }
    }

    /** Stops or resumes deciding commands (they are still recorded). */
    public void deciding(boolean decide) {
        deciding = decide;
    }

    // ------------------------------------------------------------------------------------------ inspection

    /** Returns every command read so far, in order. */
    public List<Received> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    /** Returns the commands of one type for one token, in order. */
    public <T extends SpecificRecord> List<T> commands(Class<T> type, String tokenId) {
        return received().stream()
                .map(Received::command)
                .filter(type::isInstance)
                .map(type::cast)
                .filter(c -> tokenId.equals(field(c, "token_id")))
                .toList();
    }

    /** Returns the commands of one type, in order. */
    public <T extends SpecificRecord> List<T> commands(Class<T> type) {
        return received().stream()
                .map(Received::command)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** Returns the ids of the commands rejected so far. */
    public List<String> rejected() {
        synchronized (lock) {
            return List.copyOf(rejected);
        }
    }

    /** Returns the token's current version, or 0 when it has none. */
    public long version(String tokenId) {
        synchronized (lock) {
            final TokenState token = tokens.get(tokenId);
            return token == null ? 0 : token.getVersion();
        }
    }

    /** A short description of what was received, for failure messages. */
    public String summary() {
        return received().stream()
                        .collect(Collectors.groupingBy(
                                r -> r.command().getSchema().getName(), Collectors.counting()))
                + ", rejected " + rejected().size();
    }

    /** Opens a sealed token of the contract's places. */
    public static String open(SealedSecret sealed, String place) {
        return TestKeys.BOX.open(sealed, place);
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------------------------------ deciding

    private void read() {
        final Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < deployment.partitions(); p++) {
                partitions.add(new TopicPartition(deployment.commandsTopic(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    final SpecificRecord command = deserializer.deserialize(record.topic(), record.value());
                    synchronized (lock) {
                        received.add(new Received(Instant.now(), command, record.value()));
                        if (deciding) decide(record.key(), command);
                    }
                }
            }
        }
    }

    private void decide(String key, SpecificRecord command) {
        final String commandId = (String) field(command, "command_id");
        if (!decided.add(commandId)) return;
        final Instant now = Instant.now();
        final Decision decision;
        if (command instanceof RecordTokenRefresh c) {
            decision = TokenDecider.decide(c, token(c.getTokenId()), now);
        } else if (command instanceof RecordTokenRefreshFailure c) {
            decision = TokenDecider.decide(c, token(c.getTokenId()), now);
        } else if (command instanceof RecordRefreshAttempt c) {
            decision = TokenDecider.decide(c, token(c.getTokenId()), now);
        } else if (command instanceof IssueToken c) {
            // The refresher issues only client-credentials tokens, which no authorization precedes.
            decision = TokenDecider.decide(
                    c,
                    Optional.ofNullable(connections.get(c.getConnectionName())),
                    Optional.empty(),
                    token(c.getTokenId()),
                    now);
        } else {
            return;
        }
        if (!decision.accepted()) {
            rejected.add(commandId);
            return;
        }
        decision.events().forEach(event -> write(key, event));
    }

    private long nextConnectionVersion(String name) {
        final ConnectionState current = connections.get(name);
        return current == null ? 1 : current.getVersion() + 1;
    }

    /** Folds an event written into the states, as the command processor's stores would. */
    private void fold(SpecificRecord event) {
        if (event instanceof OAuthConnectionDeleted e) {
            // The connection's tokens go with it, as in the command processor's fold.
            connections.remove(e.getConnectionName());
            tokens.values().removeIf(t -> t.getConnectionName().equals(e.getConnectionName()));
        } else if (event instanceof OAuthConnectionCreated || event instanceof OAuthConnectionUpdated) {
            final String name = (String) field(event, "connection_name");
            ConnectionDecider.evolve(Optional.ofNullable(connections.get(name)), event)
                    .ifPresentOrElse(c -> connections.put(name, c), () -> connections.remove(name));
        } else if (event.getSchema().getField("token_id") != null) {
            final String tokenId = (String) field(event, "token_id");
            TokenDecider.evolve(token(tokenId), event)
                    .ifPresentOrElse(t -> tokens.put(tokenId, t), () -> tokens.remove(tokenId));
        }
    }

    private static Object field(SpecificRecord record, String name) {
        return record.get(record.getSchema().getField(name).pos());
    }

    private void write(String key, SpecificRecord event) {
        try {
            producer.send(new ProducerRecord<>(deployment.eventsTopic(), key, event))
                    .get();
            fold(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing an event", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write " + event.getSchema().getName(), e.getCause());
        }
    }
}
