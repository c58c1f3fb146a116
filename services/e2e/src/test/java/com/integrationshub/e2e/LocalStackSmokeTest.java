package com.integrationshub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/local-stack} as a person would (with {@code HUB_SKIP_BUILD=1}: the reactor has just packaged
 * every module it starts), on free ports and a temp data dir.
 */
class LocalStackSmokeTest {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);
    private static final Path ROOT =
            Path.of(System.getProperty("hub.root", "../..")).toAbsolutePath().normalize();

    /** Kept when a test fails, so its logs can be read; the failure message names it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    private final List<Stack> started = new ArrayList<>();

    /** On a failure, prints the child logs (the temp data dir is deleted afterwards) into the test report. */
    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            try (var logs = Files.list(dataDir.resolve("logs"))) {
                for (Path log : logs.sorted().toList()) {
                    final List<String> lines = Files.readAllLines(log);
                    System.out.println("==== " + log.getFileName() + " (last 200 lines) ====");
                    lines.subList(Math.max(0, lines.size() - 200), lines.size()).forEach(System.out::println);
                }
            } catch (IOException e) {
                System.out.println("no logs in " + dataDir + ": " + e);
            }
        }
    };

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        for (Stack stack : started) {
            if (stack.process.isAlive()) {
                stack.process.destroy();
                if (!stack.process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    stack.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    stack.process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void shouldAnswerHealthStopCleanlyOnSigtermAndStartAgainKeepingSchemasAndSecrets() throws Exception {
        final Map<String, String> env = freePortsEnv();

        final Stack first = start(env);
        final String ready = first.awaitReady();
        assertReadyLineNames(ready, env);
        assertHealthUp("query-service", env.get("HUB_HTTP_PORT"));
        assertHealthUp("token-refresher", env.get("HUB_REFRESHER_PORT"));
        final Path token = dataDir.resolve("admin-token");
        assertTrue(Files.isRegularFile(token), "expected the admin token at " + token);
        assertTrue(
                first.output()
                        .contains("admin token: " + Files.readString(token).trim()),
                "expected the token on the line after READY, output was:\n" + first.output());
        assertConsoleLinkSignsInOnce(first.output(), env.get("HUB_HTTP_PORT"));
        final String secret = Files.readString(dataDir.resolve("jwt-secret"));
        final int schemaId = registerSchema(env.get("HUB_REGISTRY_PORT"));
        first.stopCleanly();

        final Stack second = start(env);
        assertReadyLineNames(second.awaitReady(), env);
        assertHealthUp("query-service", env.get("HUB_HTTP_PORT"));
        assertHealthUp("token-refresher", env.get("HUB_REFRESHER_PORT"));
        assertEquals(secret, Files.readString(dataDir.resolve("jwt-secret")), "the JWT secret is kept between runs");
        assertSchemaKept(env.get("HUB_REGISTRY_PORT"), schemaId);
        second.stopCleanly();
    }

    @Test
    void shouldRefuseToStartNamingTheVariableWhenAPortIsInUse() throws Exception {
        final Map<String, String> env = freePortsEnv();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            env.put("HUB_KAFKA_PORT", Integer.toString(taken.getLocalPort()));
            final Stack stack = start(env);
            assertTrue(stack.process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS), "expected an early exit");
            stack.drain();
            assertEquals(2, stack.process.exitValue(), "exit code; output:\n" + stack.output());
            assertTrue(
                    stack.output()
                            .contains("port " + taken.getLocalPort() + " is in use: set HUB_KAFKA_PORT to a free port"),
                    "expected the port and the variable named, output was:\n" + stack.output());
        }
    }

    /**
     * The console line after READY holds a one-time login link: it signs in (a session cookie that is not Secure, the
     * local stack being plain http) once, and the second time sends the browser back to the login page.
     */
    private void assertConsoleLinkSignsInOnce(String output, String httpPort) throws Exception {
        final Matcher link = Pattern.compile("console \\(one-time login link[^)]*\\): (http://\\S+)")
                .matcher(output);
        assertTrue(link.find(), "expected the console login link after READY, output was:\n" + output);
        assertTrue(link.group(1).startsWith("http://127.0.0.1:" + httpPort + "/console/login?ticket="), link.group(1));
        final HttpRequest get =
                HttpRequest.newBuilder(URI.create(link.group(1))).GET().build();
        final HttpResponse<String> first = http.send(get, HttpResponse.BodyHandlers.ofString());
        assertEquals(303, first.statusCode(), "first use of the login link: " + first.body());
        assertEquals("/console/", first.headers().firstValue("Location").orElse(""));
        final String cookie = first.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith("hub_session=") && cookie.toLowerCase().contains("httponly"), cookie);
        assertFalse(cookie.toLowerCase().contains("secure"), "plain-http local stack: " + cookie);
        final HttpResponse<String> again = http.send(get, HttpResponse.BodyHandlers.ofString());
        assertEquals(
                "/console/login.html?error=expired",
                again.headers().firstValue("Location").orElse(""));
    }

    private Map<String, String> freePortsEnv() throws IOException {
        final Map<String, String> env = new HashMap<>();
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (String name : List.of("HUB_HTTP_PORT", "HUB_REFRESHER_PORT", "HUB_KAFKA_PORT", "HUB_REGISTRY_PORT")) {
                final ServerSocket socket = new ServerSocket();
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                sockets.add(socket);
                env.put(name, Integer.toString(socket.getLocalPort()));
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        env.put("HUB_DATA_DIR", dataDir.toString());
        env.put("HUB_SKIP_BUILD", "1");
        return env;
    }

    private Stack start(Map<String, String> env) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(
                        "bash", ROOT.resolve("bin/local-stack").toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("HUB_JWT_SECRET");
        builder.environment().putAll(env);
        final Stack stack = new Stack(builder.start());
        started.add(stack);
        return stack;
    }

    private void assertReadyLineNames(String ready, Map<String, String> env) {
        final String expected = "READY query=http://127.0.0.1:" + env.get("HUB_HTTP_PORT")
                + " refresher=http://127.0.0.1:" + env.get("HUB_REFRESHER_PORT")
                + " kafka=127.0.0.1:" + env.get("HUB_KAFKA_PORT")
                + " registry=http://127.0.0.1:" + env.get("HUB_REGISTRY_PORT")
                + " admin-token=" + dataDir.resolve("admin-token");
        assertEquals(expected, ready);
    }

    private void assertHealthUp(String service, String port) throws Exception {
        final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), service + " /health answered " + response.body());
        assertTrue(
                response.body().replaceAll("\\s", "").contains("\"status\":\"UP\""),
                service + " /health is not UP: " + response.body());
    }

    /** Registers a schema with the registry of the stack (so in its Kafka log) and returns its id. */
    private int registerSchema(String registryPort) throws Exception {
        final String body = "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Smoke\\\","
                + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
        final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + registryPort + "/subjects/e2e-smoke-value/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "registering a schema answered " + response.body());
        final Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(response.body());
        assertTrue(id.find(), "no id in " + response.body());
        return Integer.parseInt(id.group(1));
    }

    private void assertSchemaKept(String registryPort, int schemaId) throws Exception {
        final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort + "/schemas/ids/" + schemaId))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "schema " + schemaId + " after the restart: " + response.body());
        assertTrue(response.body().contains("Smoke"), "schema " + schemaId + " is another one: " + response.body());
    }

    /** One run of bin/local-stack, its output read line by line as it comes. */
    private static final class Stack {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Stack(Process process) {
            this.process = process;
            this.reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("(reading the output failed: " + e + ")");
                        }
                    },
                    "local-stack-output");
            reader.setDaemon(true);
            reader.start();
        }

        String awaitReady() throws InterruptedException {
            final long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                final Optional<String> ready = readyLine();
                if (ready.isPresent()) {
                    return ready.get();
                }
                if (!process.isAlive()) {
                    drain();
                    fail("bin/local-stack exited with " + process.exitValue() + " before READY:\n" + output());
                }
                Thread.sleep(100);
            }
            fail("no READY line within " + READY_DEADLINE.toSeconds() + " s:\n" + output());
            return null;
        }

        void stopCleanly() throws InterruptedException {
            final List<ProcessHandle> children = process.descendants().toList();
            process.toHandle().destroy(); // SIGTERM, leaving our end of its output open as a terminal would
            assertTrue(
                    process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "bin/local-stack still running " + STOP_DEADLINE.toSeconds() + " s after SIGTERM:\n" + output());
            drain();
            assertEquals(0, process.exitValue(), "exit code after SIGTERM; output:\n" + output());
            final List<ProcessHandle> running =
                    children.stream().filter(ProcessHandle::isAlive).toList();
            assertTrue(running.isEmpty(), "processes left running after bin/local-stack exited: " + running);
        }

        void drain() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }

        Optional<String> readyLine() {
            synchronized (lines) {
                return lines.stream().filter(l -> l.startsWith("READY")).findFirst();
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
