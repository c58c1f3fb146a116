package com.integrationshub.bench.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Times the Kafka Streams anchors ({@link StreamsFold}, read and fold) the way {@link ServeClock} times the
 * query-service: each in its own JVM (the JVM options the query-service gets, this harness's classpath), under a new
 * application id on an empty state dir, from the process start until the application's committed offsets are past
 * the last event of every partition. Prints "RESULT anchor_read.*" and "RESULT anchor_fold.*" lines. Options besides
 * the script's: {@code --modes} (read,fold), {@code --linger-ms} (the producer's; 0, the hub's).
 */
final class FoldClock {

    private FoldClock() {}

    static void run(Map<String, String> args) throws Exception {
        Path out = Path.of(args.get("out"));
        LogEnd end = new LogEnd(out, args.get("topic"), args.get("bootstrap"));
        long brokerPid = Long.parseLong(args.getOrDefault("broker-pid", "0"));
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args.getOrDefault("timeout", "1800")));
        for (String mode : List.of(args.getOrDefault("modes", "read,fold").split(","))) {
            String applicationId = args.get("application-id") + "-" + mode;
            List<String> command = new ArrayList<>(List.of(ProcStat.javaTool("java")));
            String options = args.getOrDefault("java-opts", "").trim();
            if (!options.isEmpty()) command.addAll(List.of(options.split("\\s+")));
            command.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    StreamsFold.class.getName(),
                    "--mode",
                    mode,
                    "--bootstrap",
                    args.get("bootstrap"),
                    "--topic",
                    args.get("topic"),
                    "--application-id",
                    applicationId,
                    "--state-dir",
                    out.resolve("anchor-" + mode + "-state").toString(),
                    "--commit-interval-ms",
                    args.getOrDefault("commit-interval-ms", "20"),
                    "--poll-ms",
                    args.getOrDefault("poll-ms", "10"),
                    "--threads",
                    args.getOrDefault("threads", "1"),
                    "--linger-ms",
                    args.getOrDefault("linger-ms", "0")));
            Path log = out.resolve("anchor-" + mode + ".log");
            double brokerBefore = ProcStat.cpuSeconds(brokerPid);
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try (Admin admin = end.admin()) {
                while (!end.committedPast(admin, applicationId)) {
                    if (!process.isAlive())
                        throw new IllegalStateException("the " + mode + " anchor exited; see " + log);
                    if (System.nanoTime() - start > timeoutNanos)
                        throw new IllegalStateException("the " + mode + " anchor did not finish; see " + log);
                    Thread.sleep(200);
                }
                double ready = (System.nanoTime() - start) / 1e9;
                double cpu = ProcStat.cpuSeconds(process.pid());
                double broker = ProcStat.cpuSeconds(brokerPid) - brokerBefore;
                double running = runningAfter(log);
                System.out.printf(
                        "   Streams %s anchor: committed past the last event %.2f s after the process started (Streams"
                                + " RUNNING after %.2f s); CPU until then: anchor %.1f s, broker+registry %.1f s (load"
                                + " average now %s)%n",
                        mode, ready, running, cpu, broker, ProcStat.loadAverage());
                System.out.printf(
                        "RESULT anchor_%s.ready_s=%.2f anchor_%s.running_s=%.2f anchor_%s.cpu_s=%.1f"
                                + " anchor_%s.broker_cpu_s=%.1f%n",
                        mode, ready, mode, running, mode, cpu, mode, broker);
            } finally {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS))
                    process.destroyForcibly().waitFor();
            }
        }
    }

    /** When the anchor said Streams was running, in seconds since its JVM started; -1 if it did not say. */
    private static double runningAfter(Path log) throws java.io.IOException {
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("RUNNING after ")) return Long.parseLong(line.split(" ")[2]) / 1000.0;
        }
        return -1;
    }
}
