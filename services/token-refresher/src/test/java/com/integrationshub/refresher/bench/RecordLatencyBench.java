package com.integrationshub.refresher.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.HubTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures (prints, asserts no time) how long a provider's answer waits for its durable record: from the moment the
 * refresher's HTTP client has the answer to the broker's acknowledgement (acks=all) of the command it leads to —
 * inbox, sealing, Avro, produce. The floor is a plain KafkaProducer (acks=all, idempotent, linger 0) sending records
 * of the same size one at a time to the same broker. Not a *Test: run it with
 * {@code ./mvnw -B -o -q -pl services/token-refresher -am verify -Dtest=RecordLatencyBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RecordLatencyBench {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLatencyBench.class);
    private static final int TOKENS = Integer.getInteger("bench.tokens", 40);
    private static final int REFRESHES = Integer.getInteger("bench.refreshes", 400);

    @Test
    void shouldPrintAnswerToRecordLatencyAgainstThePlainProducerFloor() throws Exception {
        try (Scenario scenario = Scenario.start(3, Map.of("hub.refresher.producer.linger", "0ms"))) {
            scenario.provider.setExpiresIn(Duration.ofSeconds(2));
            scenario.hub.createConnection(scenario.connection("halo"));
            for (int i = 0; i < TOKENS; i++) {
                scenario.hub.issue("halo", "org-" + i, null, scenario.provider.mint(Scenario.CLIENT, "read"));
            }
            final var instance = scenario.startRefresher();
            Await.until(
                    Duration.ofMinutes(5),
                    () -> scenario.hub.commands(RecordTokenRefresh.class).size() >= REFRESHES,
                    REFRESHES + " refreshes",
                    scenario.hub::summary);
            final long[] refresher = instance.recordLatencies();
            final int size = scenario.hub.received().stream()
                    .filter(r -> r.command() instanceof RecordTokenRefresh)
                    .mapToInt(r -> r.raw().length)
                    .max()
                    .orElse(600);
            final long[] floor = plainProducer(size, refresher.length);
            final String line = String.format(
                    "answer->record p50=%.2f ms p99=%.2f ms (n=%d); plain producer acks=all "
                            + "p50=%.2f ms p99=%.2f ms (n=%d, %d B); ratio p50=%.2f p99=%.2f; load average %s",
                    ms(refresher, 50),
                    ms(refresher, 99),
                    refresher.length,
                    ms(floor, 50),
                    ms(floor, 99),
                    floor.length,
                    size,
                    ms(refresher, 50) / ms(floor, 50),
                    ms(refresher, 99) / ms(floor, 99),
                    load());
            LOG.info(line);
            System.out.println("RecordLatencyBench: " + line);
            assertTrue(refresher.length > 0);
        }
    }

    private static long[] plainProducer(int size, int count) throws Exception {
        final HubTestCluster cluster = HubTestCluster.shared();
        final String topic = cluster.uniqueName("floor");
        cluster.createTopics(3, topic);
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final long[] samples = new long[Math.max(count, 200)];
        final byte[] value = new byte[size];
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 50; i++)
                producer.send(new ProducerRecord<>(topic, "halo", value)).get();
            for (int i = 0; i < samples.length; i++) {
                final long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "halo", value)).get();
                samples[i] = System.nanoTime() - start;
            }
        }
        return samples;
    }

    private static double ms(long[] samples, int percentile) {
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        final int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
