package com.integrationshub.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service (query-service or token-refresher) started as its own JVM from its packaged jar, as in production. */
final class ServiceProcess implements AutoCloseable {

    static final Path ROOT =
            Path.of(System.getProperty("hub.root", "../..")).toAbsolutePath().normalize();
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private ServiceProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts `module`'s main class with the environment, and waits until its /health is UP. */
    static ServiceProcess start(String module, String mainClass, int port, Map<String, String> env, Path log) {
        Path target = ROOT.resolve("services").resolve(module).resolve("target");
        try {
            String classpath =
                    Files.readString(target.resolve("runtime-classpath.txt")).trim();
            Path jar;
            try (var jars = Files.list(target)) {
                jar = jars.filter(p -> p.getFileName().toString().matches(module + "-.*\\.jar")
                                && !p.getFileName().toString().endsWith("-tests.jar"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no jar of " + module + " in " + target));
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    jar + ":" + classpath,
                    mainClass));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            ServiceProcess started = new ServiceProcess(builder.start(), "http://127.0.0.1:" + port, log);
            started.awaitHealthy();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL. */
    String url() {
        return url;
    }

    /** The log file the process writes. */
    Path log() {
        return log;
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException("process died at start; see " + log + ":\n" + tail());
            try {
                HttpResponse<String> health = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("not healthy within " + START_DEADLINE + "; see " + log + ":\n" + tail());
    }

    /** The last lines of the log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process with SIGKILL, as a crash would: no shutdown hook runs, nothing is handed over. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process with SIGTERM, as an operator would, and waits for it. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
