package com.integrationshub.query.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.streams.HubStreams;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;

/** What the pipeline tests share: request bodies, the broker's view of a topic, instance states, a start gate. */
final class PipelineFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    private PipelineFixture() {}

    /** The body of a create: an API_KEY integration with a required string, an int, a string and a secret. */
    static String integrationBody(String name) {
        return """
                {"name": "%s", "description": "pipeline test %s", "auth_scheme": "API_KEY",
                 "entity_id_name": "Tenant ID",
                 "config_schema": [{"key": "base_url", "type": "string", "required": false},
                                   {"key": "timeout", "type": "int", "required": false},
                                   {"key": "tier", "type": "string", "required": false},
                                   {"key": "api_key", "type": "secret", "required": false}],
                 "credential_headers": {"Authorization": "Bearer {api_key}"}}""".formatted(name, name);
    }

    /** A mapping body with the given entity and config overrides. */
    static String mappingBody(String entityId, Map<String, ?> config) {
        ObjectNode body = JSON.createObjectNode();
        body.put("entity_id", entityId);
        body.put("entity_name", "Entity " + entityId);
        body.set("config", JSON.valueToTree(config));
        return body.toString();
    }

    /** A defaults body with the given config. */
    static String defaultsBody(Map<String, ?> config) {
        ObjectNode body = JSON.createObjectNode();
        body.set("config", JSON.valueToTree(config));
        return body.toString();
    }

    /** The same deployment (topics, application id) with one property changed, for one instance only. */
    static HubInstance.Deployment with(HubInstance.Deployment deployment, String key, Object value) {
        Map<String, Object> props = new HashMap<>(deployment.properties());
        props.put(key, value);
        return new HubInstance.Deployment(Map.copyOf(props), deployment.eventsTopic(), deployment.commandsTopic());
    }

    /** The outcomes topic of a deployment. */
    static String outcomesTopic(HubInstance.Deployment deployment) {
        return (String) deployment.properties().get("hub.kafka.topics.outcomes");
    }

    /** The instance's Kafka Streams client (null before its server started). */
    static KafkaStreams streams(HubInstance instance) {
        return instance.context().getBean(HubStreams.class).streams();
    }

    /**
     * Waits until every instance is RUNNING, every one of them is known to every other, and every instance holds
     * active tasks (and, with more than one instance, standby tasks): the deployment has settled.
     */
    static void awaitSettled(Duration timeout, HubInstance... instances) {
        Await.until(
                timeout,
                () -> describe(instances),
                d -> d.settled(instances.length),
                instances.length + " instance(s) RUNNING with active" + (instances.length > 1 ? " and standby" : "")
                        + " tasks each");
    }

    /** The state and assignment of each instance, as its own Streams client sees them. */
    static Settlement describe(HubInstance... instances) {
        List<String> states = new ArrayList<>();
        boolean settled = true;
        for (HubInstance instance : instances) {
            KafkaStreams streams = streams(instance);
            if (streams == null) {
                states.add(instance.port() + ":not started");
                settled = false;
                continue;
            }
            List<StreamsMetadata> all = new ArrayList<>(streams.metadataForAllStreamsClients());
            StreamsMetadata local = all.stream()
                    .filter(m -> m.hostInfo().port() == instance.port())
                    .findFirst()
                    .orElse(null);
            states.add(instance.port() + ":" + streams.state() + " clients=" + all.size()
                    + (local == null
                            ? " (not in metadata)"
                            : " active=" + local.topicPartitions().size() + " standby="
                                    + local.standbyTopicPartitions().size()));
            boolean standbysNeeded = instances.length > 1;
            settled &= streams.state() == KafkaStreams.State.RUNNING
                    && all.size() == instances.length
                    && local != null
                    && !local.topicPartitions().isEmpty()
                    && (!standbysNeeded || !local.standbyTopicPartitions().isEmpty());
        }
        return new Settlement(settled, states);
    }

    /** Whether a deployment has settled, and what each instance reported. */
    record Settlement(boolean allSettled, List<String> states) {
        boolean settled(int expected) {
            return allSettled && states.size() == expected;
        }

        @Override
        public String toString() {
            return String.join(", ", states);
        }
    }

    /** The end offset of every partition of a topic (transaction markers included), as the broker has them now. */
    static Map<TopicPartition, Long> endOffsets(String topic) {
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** The entries of an integration's history with that event id (the id a command's first event gets). */
    static List<JsonNode> historyEntries(Http admin, String integration, String eventId) {
        Http.Reply history = admin.get("/v1/integrations/" + integration + "/history");
        if (history.status() != 200)
            throw new AssertionError("expected 200 from the history of " + integration + ", got " + history);
        return StreamSupport.stream(history.json().spliterator(), false)
                .filter(e -> eventId.equals(e.path("event_id").asText()))
                .toList();
    }

    /** The history entries of one event type (of one org's mapping, or of the integration when orgId is null). */
    static List<JsonNode> historyEntriesOfType(Http admin, String integration, String type, String orgId) {
        Http.Reply history = admin.get("/v1/integrations/" + integration + "/history");
        if (history.status() != 200)
            throw new AssertionError("expected 200 from the history of " + integration + ", got " + history);
        return StreamSupport.stream(history.json().spliterator(), false)
                .filter(e -> type.equals(e.path("type").asText()))
                .filter(e -> orgId == null
                        ? e.path("org_id").isNull()
                        : orgId.equals(e.path("org_id").asText()))
                .toList();
    }

    /** Runs every call at once (all released together by one gate) and returns their results in order. */
    static <T> List<T> allAtOnce(List<Callable<T>> calls) {
        return bounded(calls.size(), calls, true);
    }

    /** Runs the calls with at most `parallelism` at a time and returns their results in order. */
    static <T> List<T> bounded(int parallelism, List<Callable<T>> calls) {
        return bounded(parallelism, calls, false);
    }

    private static <T> List<T> bounded(int parallelism, List<Callable<T>> calls, boolean gate) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        CountDownLatch ready = new CountDownLatch(gate ? calls.size() : 0);
        CountDownLatch go = new CountDownLatch(gate ? 1 : 0);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running concurrent calls", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent call failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
