package com.integrationshub.bench.replay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;

/**
 * Starts the query-service (its production main class and runtime classpath, the environment this JVM was given),
 * and times, from the process start, until it serves every view: {@code /health} answers 200 with
 * {@code "status":"UP"}, the org view of the sentinel (the last event written) answers 200 with the sentinel's
 * entity id, and the Streams application's committed offsets of the events topic are past the last event of every
 * partition (under exactly-once a committed offset means the view changes up to it are committed). Then it stops
 * the service (SIGTERM) and starts it again on the same, intact state dir, and times the same again; then once more
 * after deleting the state dir (a lost disk: the same application id restores its stores from their changelogs).
 * With {@code --cds true}, then on the intact state dir: a run that writes a class-data sharing archive at exit,
 * then runs with it and without it, alternated (with, without, without, with), timed the same way.
 */
final class ServeClock {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, String> args;
    private final LogEnd end;
    private final Properties sentinel = new Properties();
    private final String orgToken;
    private final Duration timeout;
    /** The exit code of the last run, once it has stopped. */
    private int lastExitCode = -1;

    private ServeClock(Map<String, String> args) throws IOException {
        this.args = args;
        Path dir = Path.of(args.get("out"));
        this.end = new LogEnd(dir, args.get("topic"), args.get("bootstrap"));
        try (var reader = Files.newBufferedReader(dir.resolve("sentinel.txt"))) {
            sentinel.load(reader);
        }
        this.orgToken =
                orgToken(Files.readString(Path.of(args.get("jwt-secret-file"))).strip(), sentinel.getProperty("org"));
        this.timeout = Duration.ofSeconds(Long.parseLong(args.getOrDefault("timeout", "1800")));
    }

    static void run(Map<String, String> args) throws Exception {
        ServeClock clock = new ServeClock(args);
        Times empty = clock.startAndTime("empty");
        Times intact = clock.startAndTime("intact");
        // A lost disk: same application id, no state dir; Streams restores every store from its changelog topics
        // (written by the first run) instead of folding the events again.
        deleteTree(Path.of(args.get("state-dir")));
        Times wiped = clock.startAndTime("wiped");
        if (Boolean.parseBoolean(args.getOrDefault("cds", "false"))) {
            // Application class-data sharing (JDK 17's dynamic archive): one run on the intact state dir writes the
            // classes it loaded to an archive when it exits, the next maps them instead of loading and verifying.
            Path archive = Path.of(args.get("out"), "query-service.jsa");
            clock.startAndTime("cds-training", "-XX:ArchiveClassesAtExit=" + archive);
            // 143: it ended on the SIGTERM, after writing the archive; a forced kill could leave a partial one.
            if (clock.lastExitCode != 143 && clock.lastExitCode != 0)
                throw new IllegalStateException("the training run exited with " + clock.lastExitCode);
            if (!Files.exists(archive)) throw new IllegalStateException("no archive written at " + archive);
            // -Xshare:on: a JVM that cannot map the archive fails instead of starting without it.
            String[] withArchive = {"-Xshare:on", "-XX:SharedArchiveFile=" + archive};
            Times cds1 = clock.startAndTime("cds-1", withArchive);
            Times plain1 = clock.startAndTime("plain-1");
            Times plain2 = clock.startAndTime("plain-2");
            Times cds2 = clock.startAndTime("cds-2", withArchive);
            System.out.printf(
                    "RESULT cds.ready_s=%.2f/%.2f cds.cpu_s=%.1f/%.1f plain.ready_s=%.2f/%.2f plain.cpu_s=%.1f/%.1f%n",
                    cds1.ready(),
                    cds2.ready(),
                    cds1.cpuSeconds(),
                    cds2.cpuSeconds(),
                    plain1.ready(),
                    plain2.ready(),
                    plain1.cpuSeconds(),
                    plain2.cpuSeconds());
        }
        System.out.printf(
                "RESULT replay.ready_s=%.2f replay.health_s=%.2f replay.view_s=%.2f replay.offsets_s=%.2f"
                        + " replay.cpu_s=%.1f replay.broker_cpu_s=%.1f%n",
                empty.ready(), empty.health(), empty.view(), empty.offsets(), empty.cpuSeconds(), empty.brokerCpu());
        System.out.printf(
                "RESULT restart.ready_s=%.2f restart.health_s=%.2f restart.view_s=%.2f restart.offsets_s=%.2f"
                        + " restart.cpu_s=%.1f restart.broker_cpu_s=%.1f%n",
                intact.ready(),
                intact.health(),
                intact.view(),
                intact.offsets(),
                intact.cpuSeconds(),
                intact.brokerCpu());
        System.out.printf(
                "RESULT wiped.ready_s=%.2f wiped.health_s=%.2f wiped.view_s=%.2f wiped.cpu_s=%.1f"
                        + " wiped.broker_cpu_s=%.1f%n",
                wiped.ready(), wiped.health(), wiped.view(), wiped.cpuSeconds(), wiped.brokerCpu());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }

    record Times(double ready, double health, double view, double offsets, double cpuSeconds, double brokerCpu) {}

    private Times startAndTime(String run, String... extraOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcStat.javaTool("java")));
        String options = args.getOrDefault("java-opts", "").trim();
        if (!options.isEmpty())
            command.addAll(List.of(options.replace("{run}", run).split("\\s+")));
        command.addAll(List.of(extraOptions));
        command.addAll(List.of(
                "-cp",
                Files.readString(Path.of(args.get("classpath-file"))).strip(),
                "com.integrationshub.query.QueryServiceApplication"));
        Path log = Path.of(args.get("out"), "query-service-" + run + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        long brokerPid = Long.parseLong(args.getOrDefault("broker-pid", "0"));
        double brokerBefore = ProcStat.cpuSeconds(brokerPid);
        long start = System.nanoTime();
        Process process = builder.start();
        Files.writeString(Path.of(args.get("out"), "query-service-" + run + ".pid"), Long.toString(process.pid()));
        double health = -1;
        double view = -1;
        double offsets = -1;
        long nextOffsetsCheck = 0;
        String base = args.get("base");
        long sampleEvery = Long.parseLong(args.getOrDefault("thread-samples-ms", "0"));
        ThreadSampler sampler =
                sampleEvery > 0 && run.equals("empty") ? new ThreadSampler(process.pid(), sampleEvery) : null;
        try (Admin admin = end.admin()) {
            long deadline = start + timeout.toNanos();
            while (health < 0 || view < 0 || offsets < 0) {
                if (!process.isAlive()) throw new IllegalStateException("query-service exited; see " + log);
                if (System.nanoTime() > deadline) throw new IllegalStateException("not ready after " + timeout);
                if (health < 0 && healthUp(base)) health = since(start);
                if (view < 0 && sentinelShown(base)) view = since(start);
                if (offsets < 0 && System.nanoTime() >= nextOffsetsCheck) {
                    if (end.committedPast(admin, args.get("group"))) offsets = since(start);
                    nextOffsetsCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                Thread.sleep(POLL.toMillis());
            }
            if (sampler != null) {
                sampler.close();
                sampler.print();
            }
            double cpu = ProcStat.cpuSeconds(process.pid());
            double broker = ProcStat.cpuSeconds(brokerPid) - brokerBefore;
            double ready = Math.max(health, Math.max(view, offsets));
            System.out.printf(
                    "   %s state dir: serving %.2f s after the process started (/health UP %.2f s, sentinel view"
                            + " %.2f s, committed offsets past the last event %.2f s); CPU until then: query-service"
                            + " %.1f s, broker+registry %.1f s (load average now %s)%n",
                    run, ready, health, view, offsets, cpu, broker, ProcStat.loadAverage());
            return new Times(ready, health, view, offsets, cpu, broker);
        } finally {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor();
            lastExitCode = process.exitValue();
        }
    }

    private static boolean healthUp(String base) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && response.body().replace(" ", "").contains("\"status\":\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean sentinelShown(String base) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/v1/orgs/" + sentinel.getProperty("org")
                                    + "/integrations/" + sentinel.getProperty("integration")))
                            .header("Authorization", "Bearer " + orgToken)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains(sentinel.getProperty("entity"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String orgToken(String secret, String orgId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        String claims = "{\"sub\":\"replay-" + orgId + "\",\"org_id\":\"" + orgId + "\",\"iat\":" + now + ",\"exp\":"
                + (now + 20_000) + "}";
        String input = header + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
