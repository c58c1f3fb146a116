package com.integrationshub.localstack;

import com.integrationshub.kafka.EmbeddedKafkaBroker;
import com.integrationshub.registry.LocalSchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker and the schema registry of a local run, on 127.0.0.1, with their data, the dev secrets and the dev
 * admin token under one data dir kept between runs.
 *
 * <p>Environment: {@code HUB_KAFKA_PORT} (9092), {@code HUB_REGISTRY_PORT} (8081), {@code HUB_DATA_DIR}
 * ({@code .local-stack}), {@code HUB_JWT_SECRET} (else made once in the data dir). Exit code 2 when a setting is
 * wrong or a port is in use.
 */
public final class LocalStack implements AutoCloseable {

    /** File name of the dev admin token inside the data dir. */
    public static final String ADMIN_TOKEN_FILE = "admin-token";
    /** File name of the one-time console login ticket inside the data dir (a new one at every start). */
    public static final String CONSOLE_TICKET_FILE = "console-ticket";
    /** Exit code when the stack cannot start because of its settings (a port in use, a bad value). */
    public static final int EXIT_BAD_SETTINGS = 2;

    private static final String HOST = EmbeddedKafkaBroker.LOOPBACK;

    private final EmbeddedKafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final Path adminTokenFile;
    private final DevSecrets secrets;

    private LocalStack(
            EmbeddedKafkaBroker broker, LocalSchemaRegistry registry, Path adminTokenFile, DevSecrets secrets) {
        this.broker = broker;
        this.registry = registry;
        this.adminTokenFile = adminTokenFile;
        this.secrets = secrets;
    }

    /** Settings of a local run; a port of 0 means a free port. */
    public record Settings(int kafkaPort, int registryPort, Path dataDir, Optional<String> jwtSecret) {

        /** Returns the settings read from environment variables, with the documented defaults. */
        public static Settings fromEnv(Map<String, String> env) {
            return new Settings(
                    port(env, "HUB_KAFKA_PORT", 9092),
                    port(env, "HUB_REGISTRY_PORT", 8081),
                    Path.of(env.getOrDefault("HUB_DATA_DIR", ".local-stack")).toAbsolutePath(),
                    Optional.ofNullable(env.get("HUB_JWT_SECRET")).filter(s -> !s.isBlank()));
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            final String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                final int port = Integer.parseInt(value.trim());
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new SettingsException(
                        name + "=" + value + " is not a port number: set " + name + " to a number from 1 to 65535");
            }
        }
    }

    /** A setting that keeps the stack from starting; its message says which variable to change. */
    public static final class SettingsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SettingsException(String message) {
            super(message);
        }
    }

    /** Starts the broker and the registry; throws {@link SettingsException} naming the variable when a port is taken. */
    public static LocalStack start(Settings settings) {
        requireFree(settings.kafkaPort(), "HUB_KAFKA_PORT");
        requireFree(settings.registryPort(), "HUB_REGISTRY_PORT");
        final DevSecrets secrets;
        try {
            secrets = DevSecrets.ensure(settings.dataDir(), settings.jwtSecret());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage());
        }
        final EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(settings.dataDir().resolve("kafka"), HOST, settings.kafkaPort());
        final LocalSchemaRegistry registry;
        try {
            registry = LocalSchemaRegistry.start(broker.bootstrapServers(), HOST, settings.registryPort());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        final Path tokenFile = settings.dataDir().resolve(ADMIN_TOKEN_FILE);
        try {
            DevSecrets.writeOwnerOnly(tokenFile, AdminToken.sign(secrets.jwtSecret(), Instant.now()) + "\n");
            DevSecrets.writeOwnerOnly(
                    settings.dataDir().resolve(CONSOLE_TICKET_FILE),
                    AdminToken.signConsoleTicket(secrets.jwtSecret(), Instant.now()) + "\n");
        } catch (IOException e) {
            registry.close();
            broker.close();
            throw new UncheckedIOException("cannot write " + tokenFile, e);
        }
        return new LocalStack(broker, registry, tokenFile, secrets);
    }

    /** Returns the {@code host:port} of the broker. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Returns the base URL of the schema registry. */
    public String registryUrl() {
        return registry.url();
    }

    /** Returns the file holding the dev admin JWT. */
    public Path adminTokenFile() {
        return adminTokenFile;
    }

    /** Returns the secrets of this run (JWT secret and keyset file). */
    public DevSecrets secrets() {
        return secrets;
    }

    /** Stops the registry, then the broker, and waits for both. */
    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }

    /** Runs the stack until SIGINT or SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "local-stack-logback.xml");
        }
        final Logger log = LoggerFactory.getLogger(LocalStack.class);
        final LocalStack stack;
        try {
            stack = start(Settings.fromEnv(System.getenv()));
        } catch (SettingsException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping");
                            stack.close();
                            log.info("stopped");
                            stopped.countDown();
                        },
                        "local-stack-stop"));
        log.info("broker listening on {}", stack.bootstrapServers());
        log.info("registry listening on {}", stack.registryUrl());
        log.info("admin token in {}", stack.adminTokenFile());
        stopped.await();
    }

    private static void requireFree(int port, String variable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new SettingsException("port " + port + " is in use: set " + variable + " to a free port");
        }
    }
}
