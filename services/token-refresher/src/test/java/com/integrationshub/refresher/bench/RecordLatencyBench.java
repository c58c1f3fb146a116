package com.integrationshub.refresher.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.HubTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * refresher's HTTP client has the answer to the broker's acknowledgement (acks=all) of the command it leads to, with
 * its steps (sealed on the answering thread, decided on the scheduler thread, serialised, sent, acked). The floor is
 * a plain KafkaProducer (acks=all, idempotent, linger 0) sending records of the command's size one at a time to the
 * same broker: while the refresher runs (paced, so it shares the broker and the machine with it), and idle after.
 * Also prints the time from sending a refresh attempt to the provider call it allows (the attempt's decided event
 * read back). Not a *Test: run it with
 * {@code ./mvnw -B -o -q -pl services/token-refresher -am verify -Dtest=RecordLatencyBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RecordLatencyBench {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLatencyBench.class);
    private static final int TOKENS = Integer.getInteger("bench.tokens", 40);
    private static final int REFRESHES = Integer.getInteger("bench.refreshes", 400);
    private static final int BURST = 16;

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
                    Duration.ofMinutes(1),
                    () -> !scenario.hub.commands(RecordTokenRefresh.class).isEmpty(),
                    "a first refresh",
                    scenario.hub::summary);
            final int size = commandSize(scenario);
            final List<Long> underLoad = new ArrayList<>();
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread paced = new Thread(() -> pacedFloor(size, running, underLoad), "bench-floor");
            paced.start();
            try {
                Await.until(
                        Duration.ofMinutes(5),
                        () -> scenario.hub.commands(RecordTokenRefresh.class).size() >= REFRESHES,
                        REFRESHES + " refreshes",
                        scenario.hub::summary);
            } finally {
                running.set(false);
                paced.join();
            }
            final long[] refresher = instance.recordLatencies();
            final Map<String, long[]> steps = instance.recordSteps();
            final long[] attemptToCall = instance.attemptToCallLatencies();
            final long[] loaded = underLoad.stream().mapToLong(Long::longValue).toArray();
            final long[] idle = idleFloor(size, refresher.length);
            final long[] bursts = burstFloor(size, refresher.length);
            final StringBuilder breakdown = new StringBuilder();
            steps.forEach((step, samples) ->
                    breakdown.append(String.format(" %s p50=%.3f p99=%.3f;", step, ms(samples, 50), ms(samples, 99))));
            final String line = String.format(
                    "answer->record p50=%.2f ms p99=%.2f ms (n=%d); steps (ms):%s floor under load (%d B records) p50=%.2f "
                            + "p99=%.2f (n=%d): ratio p50=%.2f p99=%.2f; idle floor (%d B) p50=%.2f p99=%.2f (n=%d): "
                            + "ratio p50=%.2f p99=%.2f; idle floor in bursts of %d p50=%.2f p99=%.2f (n=%d); attempt sent->call p50=%.2f ms p99=%.2f ms (n=%d), after the "
                            + "first round p50=%.2f ms p99=%.2f ms; load average %s",
                    ms(refresher, 50),
                    ms(refresher, 99),
                    refresher.length,
                    breakdown,
                    size,
                    ms(loaded, 50),
                    ms(loaded, 99),
                    loaded.length,
                    ms(refresher, 50) / ms(loaded, 50),
                    ms(refresher, 99) / ms(loaded, 99),
                    size,
                    ms(idle, 50),
                    ms(idle, 99),
                    idle.length,
                    ms(refresher, 50) / ms(idle, 50),
                    ms(refresher, 99) / ms(idle, 99),
                    BURST,
                    ms(bursts, 50),
                    ms(bursts, 99),
                    bursts.length,
                    ms(attemptToCall, 50),
                    ms(attemptToCall, 99),
                    attemptToCall.length,
                    ms(afterFirstRound(attemptToCall), 50),
                    ms(afterFirstRound(attemptToCall), 99),
                    load());
            LOG.info(line);
            System.out.println("RecordLatencyBench: " + line);
            assertTrue(refresher.length > 0);
        }
    }

    private static KafkaProducer<String, byte[]> floorProducer() {
        final Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static String floorTopic() {
        final HubTestCluster cluster = HubTestCluster.shared();
        final String topic = cluster.uniqueName("floor");
        cluster.createTopics(3, topic);
        return topic;
    }

    /**
     * Records sent at once, each timed from its send to its acknowledgement: the shape of the refresher's sends when
     * tokens issued together refresh together (up to 16 calls at a time per provider).
     */
    private static long[] burstFloor(int size, int count) throws Exception {
        final String topic = floorTopic();
        final long[] samples = new long[Math.max(count, 200) / BURST * BURST];
        final byte[] value = new byte[size];
        try (KafkaProducer<String, byte[]> producer = floorProducer()) {
            for (int i = 0; i < 50; i++)
                producer.send(new ProducerRecord<>(topic, "halo", value)).get();
            for (int round = 0; round < samples.length / BURST; round++) {
                final CountDownLatch acked = new CountDownLatch(BURST);
                for (int i = 0; i < BURST; i++) {
                    final int index = round * BURST + i;
                    final long start = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, "org-" + i, value), (metadata, error) -> {
                        samples[index] = System.nanoTime() - start;
                        acked.countDown();
                    });
                }
                acked.await();
                Thread.sleep(10);
            }
        }
        return samples;
    }

    /** The size of the refresher's RecordTokenRefresh commands (the largest so far), in bytes. */
    private static int commandSize(Scenario scenario) {
        return scenario.hub.received().stream()
                .filter(r -> r.command() instanceof RecordTokenRefresh)
                .mapToInt(r -> r.raw().length)
                .max()
                .orElseThrow();
    }

    /** One send every 10 ms while the refresher runs, each timed to its acknowledgement. */
    private static void pacedFloor(int size, AtomicBoolean running, List<Long> samples) {
        final String topic = floorTopic();
        final byte[] value = new byte[size];
        try (KafkaProducer<String, byte[]> producer = floorProducer()) {
            for (int i = 0; i < 50; i++)
                producer.send(new ProducerRecord<>(topic, "halo", value)).get();
            while (running.get()) {
                final long start = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "halo", value)).get();
                samples.add(System.nanoTime() - start);
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the paced floor failed", e);
        }
    }

    private static long[] idleFloor(int size, int count) throws Exception {
        final String topic = floorTopic();
        final long[] samples = new long[Math.max(count, 200)];
        final byte[] value = new byte[size];
        try (KafkaProducer<String, byte[]> producer = floorProducer()) {
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

    /** The samples after the first round of refreshes (one per token: cold schema, metadata and decoder paths). */
    private static long[] afterFirstRound(long[] samples) {
        return samples.length <= TOKENS ? new long[0] : Arrays.copyOfRange(samples, TOKENS, samples.length);
    }

    private static double ms(long[] samples, int percentile) {
        if (samples.length == 0) return Double.NaN;
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
