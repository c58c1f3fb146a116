package com.integrationshub.bench.anchor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The writes' anchor of bench/query-bench.sh: a minimal Kafka Streams exactly-once pass-through (commands topic →
 * events topic, no logic, no state) on the hub's broker, with the hub's commit interval and poll wait, driven the way
 * the hub's writes are: a producer like the hub's command gateway (acks=all, idempotent, linger 0) sends a record and
 * a read_committed consumer like its outcome listener (fetch.max.wait 20 ms) sees it come out of the events topic.
 * Records are as large as the hub's commands, and the topics have as many partitions as the hub's commands topic,
 * when --sample-topic names it.
 * <ul>
 *   <li>one at a time: --writers threads, each sending the next record once its last one came out; --count records;</li>
 *   <li>throughput: --concurrency records in flight, each slot sending the next when its record came out; records
 *       out per second over --duration-s seconds after --warmup-s.</li>
 * </ul>
 * Prints "RESULT anchor.*=..." lines for the script.
 */
public final class StreamsAnchor {

    private final String bootstrap;
    private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    private StreamsAnchor(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String bootstrap = required(o, "bootstrap");
        long commitMs = number(o, "commit-interval-ms", 50);
        long pollMs = number(o, "poll-ms", 100);
        int partitions = (int) number(o, "partitions", 6);
        int writers = (int) number(o, "writers", 4);
        int count = (int) number(o, "count", 300);
        int concurrency = (int) number(o, "concurrency", 512);
        long warmupS = number(o, "warmup-s", 5);
        long durationS = number(o, "duration-s", 15);
        new StreamsAnchor(bootstrap)
                .run(
                        o.get("sample-topic"),
                        (int) number(o, "record-bytes", 300),
                        commitMs,
                        pollMs,
                        partitions,
                        writers,
                        count,
                        concurrency,
                        warmupS,
                        durationS);
    }

    private void run(
            String sampleTopic,
            int fallbackBytes,
            long commitMs,
            long pollMs,
            int partitions,
            int writers,
            int count,
            int concurrency,
            long warmupS,
            long durationS)
            throws Exception {
        int recordBytes = sampleTopic == null ? fallbackBytes : sampledSize(sampleTopic, fallbackBytes);
        if (sampleTopic != null) partitions = partitionsOf(sampleTopic);
        String nonce = Long.toString(System.currentTimeMillis(), 36);
        String in = "anchor-" + nonce + ".commands";
        String out = "anchor-" + nonce + ".events";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(in, partitions, (short) 1), new NewTopic(out, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Path stateDir = Files.createTempDirectory("streams-anchor");
        KafkaStreams streams = passThrough(in, out, nonce, commitMs, pollMs, stateDir);
        CountDownLatch runningLatch = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) runningLatch.countDown();
        });
        streams.start();
        if (!runningLatch.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("the pass-through never ran");

        try (KafkaProducer<String, byte[]> producer = producer();
                KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> outs = new ArrayList<>();
            for (int p = 0; p < partitions; p++) outs.add(new TopicPartition(out, p));
            consumer.assign(outs);
            consumer.seekToEnd(outs);
            outs.forEach(consumer::position);
            Thread reader = new Thread(() -> read(consumer), "anchor-reader");
            reader.start();
            byte[] value = new byte[recordBytes];
            new SplittableRandom(7).nextBytes(value);
            System.out.printf(
                    "anchor: Kafka Streams exactly_once_v2 pass-through %s → %s (%d partitions, 1 stream thread),"
                            + " commit.interval.ms %d, poll.ms %d, %d-byte records (%s)%n",
                    in,
                    out,
                    partitions,
                    commitMs,
                    pollMs,
                    recordBytes,
                    sampleTopic == null ? "--record-bytes" : "mean size of the hub's " + sampleTopic + " records");

            // Warm the pass-through and the clients up before either figure.
            oneAtATime(producer, in, value, writers, Math.min(count, 100));
            long[] one = oneAtATime(producer, in, value, writers, count);
            System.out.printf(
                    "anchor: one at a time, %d writers, %d records: p50 %.1f ms, p99 %.1f ms%n",
                    writers, count, percentile(one, 50), percentile(one, 99));
            Throughput t = inFlight(producer, in, value, concurrency, warmupS, durationS);
            System.out.printf(
                    "anchor: %d in flight for %d s (after %d s): %.0f records/s, p50 %.1f ms, p99 %.1f ms%n",
                    concurrency, durationS, warmupS, t.perSecond, t.p50, t.p99);
            System.out.printf("RESULT anchor.record_bytes=%d%n", recordBytes);
            System.out.printf("RESULT anchor.one_p50_ms=%.1f%n", percentile(one, 50));
            System.out.printf("RESULT anchor.one_p99_ms=%.1f%n", percentile(one, 99));
            System.out.printf("RESULT anchor.per_s=%.0f%n", t.perSecond);
            System.out.printf("RESULT anchor.p50_ms=%.1f%n", t.p50);
            System.out.printf("RESULT anchor.p99_ms=%.1f%n", t.p99);
            running.set(false);
            consumer.wakeup();
            reader.join(10_000);
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteTopics(List.of(in, out)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("anchor: could not delete its topics: " + e);
            }
        }
    }

    private KafkaStreams passThrough(String in, String out, String nonce, long commitMs, long pollMs, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(out, Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "anchor-" + nonce);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        props.put(StreamsConfig.POLL_MS_CONFIG, pollMs);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        return new KafkaStreams(builder.build(), props);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void read(KafkaConsumer<String, byte[]> consumer) {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CompletableFuture<Long> future = waiting.remove(record.key());
                    if (future != null) future.complete(System.nanoTime());
                }
            }
        } catch (WakeupException e) {
            // stopping
        }
    }

    /** Sends `key` and completes with the time its copy came out of the events topic. */
    private CompletableFuture<Long> send(
            KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        CompletableFuture<Long> out = new CompletableFuture<>();
        waiting.put(key, out);
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) out.completeExceptionally(error);
        });
        return out;
    }

    private long[] oneAtATime(
            KafkaProducer<String, byte[]> producer, String topic, byte[] value, int writers, int count)
            throws InterruptedException {
        long[] latencies = new long[count];
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                long n;
                while ((n = next.getAndIncrement()) < count) {
                    long sent = System.nanoTime();
                    long came = send(producer, topic, "one-" + writer + "-" + n + "-" + sent, value)
                            .orTimeout(30, TimeUnit.SECONDS)
                            .join();
                    latencies[(int) n] = came - sent;
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        return latencies;
    }

    private record Throughput(double perSecond, double p50, double p99) {}

    private Throughput inFlight(
            KafkaProducer<String, byte[]> producer,
            String topic,
            byte[] value,
            int concurrency,
            long warmupS,
            long durationS)
            throws InterruptedException {
        long start = System.nanoTime();
        long from = start + TimeUnit.SECONDS.toNanos(warmupS);
        long to = from + TimeUnit.SECONDS.toNanos(durationS);
        AtomicLong done = new AtomicLong();
        AtomicLong seq = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch slotsDone = new CountDownLatch(concurrency);
        for (int s = 0; s < concurrency; s++) slot(producer, topic, value, seq, from, to, done, latencies, slotsDone);
        if (!slotsDone.await(warmupS + durationS + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("records in flight did not come out");
        }
        long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Throughput(done.get() / (double) durationS, percentile(l, 50), percentile(l, 99));
    }

    /** One slot of the closed loop: sends, and once the record came out, sends the next until the window closed. */
    private void slot(
            KafkaProducer<String, byte[]> producer,
            String topic,
            byte[] value,
            AtomicLong seq,
            long from,
            long to,
            AtomicLong done,
            List<Long> latencies,
            CountDownLatch slotsDone) {
        long sent = System.nanoTime();
        if (sent >= to) {
            slotsDone.countDown();
            return;
        }
        send(producer, topic, "load-" + seq.incrementAndGet(), value).whenComplete((came, error) -> {
            if (error != null) {
                System.err.println("anchor: a record failed: " + error);
                slotsDone.countDown();
                return;
            }
            if (came >= from && came < to) {
                done.incrementAndGet();
                latencies.add(came - sent);
            }
            slot(producer, topic, value, seq, from, to, done, latencies, slotsDone);
        });
    }

    /** How many partitions `topic` has (the anchor's topics get as many as the hub's commands topic). */
    private int partitionsOf(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic).size();
        }
    }

    /** Mean key + value size of up to 500 records of `topic` (the hub's commands), or `fallback` if it has none. */
    private int sampledSize(String topic, int fallback) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long bytes = 0;
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (n < 500 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) continue;
                    bytes += r.value().length + (r.key() == null ? 0 : r.key().length);
                    n++;
                }
            }
            return n == 0 ? fallback : (int) (bytes / n);
        }
    }

    private static double percentile(long[] nanos, double p) {
        if (nanos.length == 0) return Double.NaN;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int k = 0; k < args.length; k += 2) {
            if (!args[k].startsWith("--") || k + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value at " + args[k]);
            }
            options.put(args[k].substring(2), args[k + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) throw new IllegalArgumentException("--" + name + " is required");
        return value;
    }

    private static long number(Map<String, String> options, String name, long fallback) {
        return options.containsKey(name) ? Long.parseLong(options.get(name)) : fallback;
    }
}
