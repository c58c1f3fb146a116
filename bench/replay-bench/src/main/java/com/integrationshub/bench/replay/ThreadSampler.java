package com.integrationshub.bench.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Wall-clock samples of the query-service's stream thread during the replay: every interval a thread dump
 * ({@code jcmd <pid> Thread.print}), the StreamThread's stack classified by the first known frame from the top.
 * Unlike JFR's CPU samples it also counts the time the thread waits (a commit's round trips, an empty poll).
 */
final class ThreadSampler implements AutoCloseable {

    /** What the stream thread is doing → frames (substrings of a stack line) that say so, checked in this order. */
    private static final Map<String, List<String>> ACTIVITIES = activities();

    private static final Pattern STREAM_THREAD = Pattern.compile("\"[^\"]*-StreamThread-\\d+\" ");

    private final long pid;
    private final long intervalMillis;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    ThreadSampler(long pid, long intervalMillis) {
        this.pid = pid;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::loop, "stream-thread-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static Map<String, List<String>> activities() {
        Map<String, List<String>> a = new LinkedHashMap<>();
        a.put(
                "commit: exactly-once transaction (flush, offsets, commit)",
                List.of(
                        "commitTransaction",
                        "sendOffsetsToTransaction",
                        "TaskExecutor.commit",
                        "TaskManager.commit",
                        "commitOffsetsOrTransaction",
                        "StreamsProducer.commit",
                        "KafkaProducer.flush",
                        "TransactionalRequestResult.await",
                        "beginTransaction"));
        a.put("RocksDB", List.of("org.rocksdb."));
        a.put("Avro decode", List.of("AvroDeserializer", "BinaryDecoder", "ResolvingDecoder", "DatumReader"));
        a.put("Avro encode", List.of("AvroSerializer", "BinaryEncoder", "DatumWriter"));
        a.put(
                "producer send (changelogs, outcomes)",
                List.of("KafkaProducer.send", "RecordAccumulator", "RecordCollectorImpl.send"));
        a.put("fold (HubState, evolve)", List.of("com.integrationshub."));
        a.put(
                "poll (fetch)",
                List.of(
                        "KafkaConsumer.poll",
                        "ClassicKafkaConsumer.poll",
                        "AsyncKafkaConsumer.poll",
                        "ConsumerNetworkClient.poll",
                        "StreamThread.pollRequests"));
        a.put("Streams: other", List.of("org.apache.kafka.streams."));
        return a;
    }

    private void loop() {
        while (running) {
            long next = System.currentTimeMillis() + intervalMillis;
            try {
                sample();
            } catch (IOException e) {
                // the process may be going away
            } catch (InterruptedException e) {
                return;
            }
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sample() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(ProcStat.javaTool("jcmd"), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true)
                .start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        for (String block : dump.split("\n\n")) {
            // The stream thread itself, not its producer's network thread ("...-StreamThread-1-producer").
            if (!STREAM_THREAD.matcher(block).lookingAt()) continue;
            samples.incrementAndGet();
            counts.computeIfAbsent(classify(block), k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static String classify(String block) {
        String[] lines = block.split("\n");
        for (String line : lines) {
            if (!line.strip().startsWith("at ")) continue;
            for (Map.Entry<String, List<String>> activity : ACTIVITIES.entrySet()) {
                for (String frame : activity.getValue()) {
                    if (line.contains(frame)) return activity.getKey();
                }
            }
        }
        for (String line : lines) {
            if (line.strip().startsWith("at ")) return "other: " + line.strip().substring(3);
        }
        return "other";
    }

    /** Prints the share of samples per activity. */
    void print() {
        int total = samples.get();
        System.out.printf("   stream thread, wall-clock (%d thread dumps, one every %d ms):%n", total, intervalMillis);
        counts.entrySet().stream()
                .sorted((a, b) -> b.getValue().get() - a.getValue().get())
                .forEach(e -> System.out.printf(
                        "     %5.1f %%  %s%n", 100.0 * e.getValue().get() / total, e.getKey()));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
