package com.integrationshub.runtime.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the service's topics at start when they are missing. */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {}

    /** Creates the commands, events (kept forever), outcomes and dead-letter topics that do not exist yet. */
    public static void ensureTopics(KafkaSettings settings) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(topic(settings, settings.commandsTopic(), Map.of()));
        wanted.add(topic(
                settings,
                settings.eventsTopic(),
                Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
        wanted.add(topic(
                settings,
                settings.outcomesTopic(),
                Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(settings.outcomesRetention().toMillis()))));
        // Dead letters are kept until someone has looked at them: no time limit, like the events.
        wanted.add(topic(settings, settings.deadLettersTopic(), Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        create(settings, wanted);
    }

    /**
     * Creates each topic unless it exists, connecting as every client of the service does (bootstrap servers and
     * security settings). This is the service's first call to the cluster, so a refused login or TLS handshake fails
     * the start here with a message naming the settings to check.
     */
    public static void create(KafkaSettings settings, List<NewTopic> topics) {
        long timeoutMs = settings.adminTimeout().toMillis();
        String bootstrapServers = settings.bootstrapServers();
        Properties props = settings.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) return;
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
        } catch (ExecutionException e) {
            String refusal = settings.security().explainRefusal(bootstrapServers, e);
            if (refusal != null) throw new IllegalStateException(refusal, e.getCause());
            // The admin client retries until its timeout: a retriable failure at the end is a cluster that never
            // answered.
            if (e.getCause() instanceof RetriableException) throw noAnswer(settings, e);
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw noAnswer(settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Each partition of the topic (it exists: called after {@link #create}) with its last stable offset now: the end
     * a read_committed reader reaches once it has read every committed record (transaction markers included).
     */
    public static Map<Integer, Long> stableEnds(KafkaSettings settings, String topic) {
        long timeoutMs = settings.adminTimeout().toMillis();
        Properties props = settings.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            int count = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < count; p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the offsets of topic " + topic + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw noAnswer(settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the offsets of topic " + topic, e);
        }
    }

    // A client speaking another protocol than the listener (SASL or TLS to a plain listener, or the reverse) is not
    // refused: the broker drops the connection and the call times out, as it does for a wrong address.
    private static IllegalStateException noAnswer(KafkaSettings settings, Exception e) {
        return new IllegalStateException(
                "cannot create topics on " + settings.bootstrapServers() + ": no answer within "
                        + settings.adminTimeout().toMillis() + " ms; check " + KafkaSettings.PREFIX
                        + ".bootstrap-servers (HUB_KAFKA_BOOTSTRAP) and " + KafkaSecurity.PREFIX
                        + ".protocol (HUB_KAFKA_SECURITY_PROTOCOL, now "
                        + settings.security().normalizedProtocol()
                        + ")",
                e);
    }

    private static NewTopic topic(KafkaSettings settings, String name, Map<String, String> configs) {
        return new NewTopic(name, settings.partitions(), settings.replicationFactor()).configs(configs);
    }
}
