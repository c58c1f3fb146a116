package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.runtime.kafka.DeadLetters;
import com.integrationshub.testkit.HubTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unreadable records on the events topic go to the dead-letter topic, and the refresher keeps refreshing. */
class DeadLetterIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Scenario s = Scenario.start();
    private final Set<String> garbage = new TreeSet<>();

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void shouldSendUnreadableEventsToTheDeadLetterTopicAndKeepRefreshing() {
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        produceGarbage("service");
        s.hub.createConnection(s.connection("service").withGrantType(GrantType.CLIENT_CREDENTIALS));
        String tokenId = Names.tokenId("service", null);
        s.startRefresher();
        Await.until(
                WAIT,
                () -> s.hub.commands(IssueToken.class, tokenId).size() >= 2,
                "a fetch and a renewal of " + tokenId + " after unreadable records in the replay",
                s.hub::summary);

        produceGarbage("service");
        int before = s.hub.commands(IssueToken.class, tokenId).size();

        Await.until(
                WAIT,
                () -> s.hub.commands(IssueToken.class, tokenId).size() >= before + 2,
                "two more renewals of " + tokenId + " after unreadable records while live",
                s.hub::summary);
        Await.until(
                WAIT,
                () -> new TreeSet<>(deadLetterSources()).equals(garbage),
                "the dead-letter topic to hold " + garbage,
                () -> deadLetterSources().toString());
        assertEquals(garbage.size(), deadLetterSources().size(), "expected one dead letter per unreadable record");
    }

    /** Not the wire format, and an unknown schema id, keyed by the connection (so on its partition). */
    private void produceGarbage(String key) {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value :
                    List.of("garbage".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0x7f, 0, 0, 1, 9, 9})) {
                RecordMetadata written = producer.send(new ProducerRecord<>(
                                s.deployment.eventsTopic(), key.getBytes(StandardCharsets.UTF_8), value))
                        .get(30, TimeUnit.SECONDS);
                garbage.add(written.topic() + "-" + written.partition() + "@" + written.offset());
            }
        } catch (Exception e) {
            throw new AssertionError("could not produce garbage", e);
        }
    }

    private List<String> deadLetterSources() {
        String topic = (String) s.deployment.properties().get("hub.kafka.topics.dead-letters");
        Properties props = new Properties();
        props.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        List<String> sources = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    sources.add(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                            + DeadLetters.header(r.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                            + DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET));
                }
            }
        }
        return sources;
    }
}
