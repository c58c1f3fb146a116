package com.integrationshub.bench.replay;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples (jdk.ExecutionSample) went: the share of samples per thread, per stage of the
 * replay (the first frame of the stack that belongs to a known stage, from the top), and the top frames.
 */
final class JfrSummary {

    /** Stage → package or class prefix; the first frame from the top of the stack that matches names the stage. */
    private static final Map<String, List<String>> STAGES = stages();

    private JfrSummary() {}

    private static Map<String, List<String>> stages() {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        stages.put("RocksDB (JNI: put/get/flush/compaction)", List.of("org.rocksdb."));
        stages.put(
                "Avro decode",
                List.of(
                        "org.apache.avro.io.BinaryDecoder",
                        "org.apache.avro.io.ResolvingDecoder",
                        "org.apache.avro.specific.SpecificDatumReader",
                        "org.apache.avro.generic.GenericDatumReader",
                        "com.integrationshub.registry.AvroDeserializer"));
        stages.put(
                "Avro encode",
                List.of(
                        "org.apache.avro.io.BinaryEncoder",
                        "org.apache.avro.io.BufferedBinaryEncoder",
                        "org.apache.avro.specific.SpecificDatumWriter",
                        "org.apache.avro.generic.GenericDatumWriter",
                        "com.integrationshub.registry.AvroSerializer"));
        stages.put("Avro other", List.of("org.apache.avro."));
        stages.put("hub fold (HubState, deciders' evolve)", List.of("com.integrationshub."));
        stages.put("Kafka producer (changelogs, outcomes)", List.of("org.apache.kafka.clients.producer."));
        stages.put(
                "Kafka consumer (fetch, decompress, CRC)",
                List.of("org.apache.kafka.clients.consumer.", "org.apache.kafka.common.record."));
        stages.put(
                "Kafka network", List.of("org.apache.kafka.common.network.", "org.apache.kafka.clients.NetworkClient"));
        stages.put("Kafka Streams (tasks, caches, commit)", List.of("org.apache.kafka.streams."));
        stages.put("Kafka other", List.of("org.apache.kafka."));
        stages.put("Micronaut / Netty / HTTP", List.of("io.micronaut.", "io.netty.", "reactor."));
        return stages;
    }

    static void run(Map<String, String> args) throws Exception {
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> stages = new HashMap<>();
        Map<String, Integer> streamStages = new HashMap<>();
        int streamTotal = 0;
        Map<String, Integer> tops = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args.get("file")))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) continue;
            total++;
            String thread = event.getThread("sampledThread") == null
                    ? "?"
                    : event.getThread("sampledThread").getJavaName().replaceAll("-\\d+", "-N");
            threads.merge(thread, 1, Integer::sum);
            String stage = stage(stack.getFrames());
            stages.merge(stage, 1, Integer::sum);
            if (thread.matches(".*-StreamThread-N")) {
                streamStages.merge(stage, 1, Integer::sum);
                streamTotal++;
            }
            RecordedFrame top = stack.getFrames().get(0);
            tops.merge(
                    top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
        }
        System.out.printf("   JFR: %d CPU samples%n", total);
        print("threads", threads, total, 8);
        print("stage, every thread (first frame outside the JDK from the top)", stages, total, 20);
        print("stage, the stream thread only (" + streamTotal + " samples)", streamStages, streamTotal, 20);
        print("top frames", tops, total, 15);
    }

    // JDK frames (HashMap, String, ...) count for the first caller outside the JDK: a HashMap lookup in the
    // producer's metrics is the producer's time.
    private static String stage(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) continue;
            for (Map.Entry<String, List<String>> stage : STAGES.entrySet()) {
                for (String prefix : stage.getValue()) {
                    if (type.startsWith(prefix)) return stage.getKey();
                }
            }
        }
        return "JDK only";
    }

    private static void print(String title, Map<String, Integer> counts, int total, int limit) {
        System.out.println("   " + title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> System.out.printf("     %5.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }
}
