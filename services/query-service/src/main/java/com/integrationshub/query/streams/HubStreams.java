package com.integrationshub.query.streams;

import com.integrationshub.domain.RecordBudget;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.query.commands.CommandSettings;
import com.integrationshub.query.metrics.QueryMetrics;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the query service's Kafka Streams application once the HTTP server knows its port. */
@Singleton
public class HubStreams implements ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(HubStreams.class);

    private final KafkaSettings kafka;
    private final SchemaRegistryClient registry;
    private final StreamsSettings settings;
    private static final Duration REGISTRY_RETRY_PAUSE = Duration.ofSeconds(1);

    private final CommandSettings commands;
    private final TokenRefreshSettings refresh;
    private final StoreRetention retention;
    private final QueryMetrics metrics;
    private final List<TopologyAddition> additions;
    private final ViewChanges viewChanges;
    private volatile KafkaStreams streams;
    private volatile AutoCloseable streamsMetrics;
    private volatile HostInfo self;
    private volatile Map<Integer, Long> eventsAtStart = Map.of();

    public HubStreams(
            KafkaSettings kafka,
            SchemaRegistryClient registry,
            StreamsSettings settings,
            CommandSettings commands,
            TokenRefreshSettings refresh,
            QueryMetrics metrics,
            List<TopologyAddition> additions,
            ViewChanges viewChanges) {
        this.additions = additions;
        this.viewChanges = viewChanges;
        this.kafka = kafka;
        this.registry = registry;
        this.settings = settings;
        this.commands = commands;
        this.refresh = refresh;
        this.metrics = metrics;
        // Checked here, so a retention that is not positive stops the service before anything starts.
        this.retention = new StoreRetention(commands.idempotencyRetention(), settings.sweepInterval());
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String endpoint = settings.advertisedEndpoint(
                event.getSource().getHost(), event.getSource().getPort());
        TopicProvisioner.ensureTopics(kafka);
        this.eventsAtStart = Map.copyOf(TopicProvisioner.stableEnds(kafka, kafka.eventsTopic()));
        Map<Integer, Long> commandsAtStart = TopicProvisioner.stableEnds(kafka, kafka.commandsTopic());
        int commandPartitions = commandsAtStart.size();
        if (commandPartitions != eventsAtStart.size()) {
            // A task folds the events of its commands into its own stores: a key must land on the same partition
            // number in both topics.
            throw new IllegalStateException("topic " + kafka.commandsTopic() + " has " + commandPartitions
                    + " partitions and " + kafka.eventsTopic() + " " + eventsAtStart.size()
                    + ": the two must have as many");
        }
        CommandsStart.atEndForNewGroup(kafka, settings.applicationId(), kafka.commandsTopic(), commandsAtStart);
        var topology = HubTopology.build(
                kafka.commandsTopic(),
                kafka.eventsTopic(),
                kafka.outcomesTopic(),
                registry,
                new IntegrationDecider(commands.maxListedErrors()),
                new RecordBudget(commands.maxRecordBytes()),
                retention,
                refresh.minInterval(),
                commands.decisionTimeout(),
                metrics,
                viewChanges);
        for (TopologyAddition addition : additions) {
            addition.ensureTopics();
            addition.addTo(topology);
        }
        KafkaStreams started = new KafkaStreams(topology, properties(endpoint));
        started.setUncaughtExceptionHandler(HubStreams::onThreadFailure);
        started.setStateListener((now, before) -> {
            // A rebalance moves partitions and their stores: what was read from the views before is not trusted.
            viewChanges.changedAll();
            LOG.info("streams {} -> {}", before, now);
        });
        started.setGlobalStateRestoreListener(new RestorationsChangeViews(viewChanges));
        this.streamsMetrics = metrics.bind(started);
        started.start();
        this.self = HostInfo.buildFromEndpoint(endpoint);
        this.streams = started;
        LOG.info("streams started as {} advertising {}", settings.applicationId(), endpoint);
    }

    // A result Kafka refused (see UnwritableRecords) or a registry outage is worth a new thread: the replay rejects
    // the command, or reads the record once the registry answers. Anything else stops the client, visibly in /health.
    private static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onThreadFailure(Throwable e) {
        if (UnwritableRecords.takeMarked()) {
            LOG.error("stream thread failed on a result Kafka refused; replacing it (the command will be rejected)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (SchemaRegistryException.isUnavailable(e)) {
            LOG.error("stream thread failed: the schema registry does not answer; replacing it", e);
            try {
                Thread.sleep(REGISTRY_RETRY_PAUSE.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stream thread failed; stopping the streams client so the failure is visible in /health", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The running streams client, or null before the server started. */
    public KafkaStreams streams() {
        return streams;
    }

    /** How many partitions the events topic (and so every view) has; 0 before the server started. */
    public int eventsPartitions() {
        return eventsAtStart.size();
    }

    /**
     * Each partition of the events topic with its last stable offset when this instance started: the views are
     * complete once they have read that far (see {@link StreamsHealthIndicator}); empty before the server started.
     */
    public Map<Integer, Long> eventsAtStart() {
        return eventsAtStart;
    }

    /** The Kafka Streams application id (its consumer group). */
    public String applicationId() {
        return settings.applicationId();
    }

    /** This instance's host and port as other instances see it; null before the server started. */
    public HostInfo self() {
        return self;
    }

    private Properties properties(String endpoint) {
        // Bootstrap servers and security at the top level: Streams passes them to every client it makes.
        Properties props = kafka.clientProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.standbyReplicas());
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                settings.commitInterval().toMillis());
        // A thread with nothing to read waits in poll up to poll.ms (100 ms by default) before it checks whether a
        // commit is due: that wait, not the commit interval, would bound how late a decision becomes readable.
        props.put(StreamsConfig.POLL_MS_CONFIG, settings.pollInterval().toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.threads());
        // A task reads commands and events. 0 (Streams' default, said here for the reason): it takes the next record
        // by timestamp only once each topic's records already on the broker are fetched, so the events of a replay
        // (or an upgrade's not yet folded) are in the views before a newer command is decided against them. Against
        // -1 (never wait) it measured the same for writes (BENCHMARKS.md, "One exactly-once hop per write"). Its cost:
        // Streams 4.3 formats a log text for every record of a task with an empty partition, which is why the service
        // formats in en-US (QueryServiceApplication.useFixedFormatLocale).
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) kafka.replicationFactor());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int)
                settings.sessionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                settings.heartbeatInterval().toMillis());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, kafka.deadLettersTopic());
        props.put(DeadLetterHandler.COUNTER_CONFIG, (Consumer<String>) metrics::deadLetter);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, UnwritableResultHandler.class);
        return props;
    }

    @PreDestroy
    void close() {
        KafkaStreams current = streams;
        closeQuietly(streamsMetrics);
        if (current != null) {
            // Leave the group: Streams' default stays in it, so its tasks move to another instance only once this
            // member's session expires, and until then no command of their partitions is decided (TwoInstancesTest:
            // 1.4-2.6 s to take over when leaving, still not taken over after 45 s of a 90 s session when staying).
            boolean closed = current.close(
                    CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                            .withTimeout(Duration.ofSeconds(30)));
            if (closed) {
                LOG.info("streams closed");
            } else {
                LOG.warn("streams did not close within 30 s");
            }
        }
    }

    private static void closeQuietly(AutoCloseable binder) {
        if (binder == null) return;
        try {
            binder.close();
        } catch (Exception e) {
            LOG.debug("could not unbind the streams metrics", e);
        }
    }
}
