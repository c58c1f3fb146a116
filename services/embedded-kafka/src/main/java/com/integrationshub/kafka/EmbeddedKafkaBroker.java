package com.integrationshub.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one node), running in this JVM.
 *
 * <p>The log directory is formatted on first use ({@code StorageTool format --standalone}) and reused afterwards,
 * so a broker started again on the same data directory replays its log. Listeners bind only the given host
 * (127.0.0.1 by default). Settings are sized for tests and a local run: replication factor 1 everywhere, small
 * cleaner buffer and segments, no automatic topic creation, no initial rebalance delay, transactions enabled.
 *
 * <p>Started with SASL users, the broker also has a {@code SASL_PLAINTEXT} listener on a free port
 * ({@link #saslBootstrapServers()}) that takes each user with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, as a managed
 * cluster does; the plain listener stays for the broker itself and for fixtures.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The loopback address every listener binds to by default. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String CONTROLLER_PORT_FILE = "controller.port";
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String saslBootstrapServers;
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(
            KafkaRaftServer server, String bootstrapServers, String saslBootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts a broker on free ports of 127.0.0.1, keeping its log under {@code dataDir}; returns once it answers. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, LOOPBACK, 0);
    }

    /**
     * Starts a broker whose client listener is {@code host:port} (0 = a free port), keeping its log under
     * {@code dataDir}; returns once it answers. A port already in use gives an {@link IllegalStateException}
     * naming {@code host:port}.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, String host, int port) {
        return start(dataDir, host, port, Map.of());
    }

    /**
     * Starts a broker as {@link #start(Path, String, int)} does, with a {@code SASL_PLAINTEXT} listener on a free port
     * of {@code host} that takes the users of {@code saslPasswords} (user → password) with PLAIN, SCRAM-SHA-256 and
     * SCRAM-SHA-512 (none when empty); returns once a SCRAM login there works.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, String host, int port, Map<String, String> saslPasswords) {
        keepHostJvmAlive();
        try {
            Files.createDirectories(dataDir);
            final Path logDir = dataDir.resolve("log");
            final boolean formatted = Files.exists(logDir.resolve("meta.properties"));
            final int brokerPort = port == 0 ? freePort(host) : requireFree(host, port);
            final int controllerPort = controllerPort(dataDir, host, formatted);
            final int saslPort = saslPasswords.isEmpty() ? 0 : freePort(host);
            final Properties props = serverProperties(logDir, host, brokerPort, controllerPort);
            if (saslPort != 0) addSaslListener(props, host, saslPort, saslPasswords);
            final Path configFile = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "written by EmbeddedKafkaBroker at each start");
            }
            if (!formatted) {
                format(configFile);
                Files.writeString(dataDir.resolve(CONTROLLER_PORT_FILE), Integer.toString(controllerPort));
            }
            final String bootstrap = host + ":" + brokerPort;
            final KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            final String saslBootstrap = saslPort == 0 ? null : host + ":" + saslPort;
            final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, saslBootstrap, dataDir);
            try {
                server.startup();
                broker.awaitReady();
                if (saslPort != 0) broker.addScramUsers(saslPasswords);
            } catch (RuntimeException e) {
                final IllegalStateException failure = new IllegalStateException(
                        "Kafka broker on " + bootstrap + " failed to start: " + e.getMessage(), e);
                try {
                    broker.close();
                } catch (RuntimeException closing) {
                    failure.addSuppressed(closing);
                }
                throw failure;
            }
            LOG.info(
                    "Kafka broker listening on {}{} (data {}, {})",
                    bootstrap,
                    saslBootstrap == null ? "" : " and SASL_PLAINTEXT " + saslBootstrap,
                    dataDir,
                    formatted ? "existing log" : "new log");
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data dir " + dataDir, e);
        }
    }

    /**
     * Kafka's server code ends its process on fatal errors (e.g. a shutdown that times out on a loaded machine). In
     * process, that process is the test JVM or the local stack: log loudly instead, so the failure shows where it
     * happened rather than as a JVM that vanished.
     */
    private static void keepHostJvmAlive() {
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                LOG.error("the in-process Kafka broker asked to exit the JVM with {}: {}", code, message));
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                LOG.error("the in-process Kafka broker asked to halt the JVM with {}: {}", code, message));
    }

    /** Returns the {@code host:port} clients connect to. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Returns the {@code host:port} of the SASL_PLAINTEXT listener, if the broker was started with SASL users. */
    public Optional<String> saslBootstrapServers() {
        return Optional.ofNullable(saslBootstrapServers);
    }

    /** Returns the directory holding this broker's configuration and log. */
    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down cleanly and waits until it has stopped; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers);
    }

    private static Properties serverProperties(Path logDir, String host, int brokerPort, int controllerPort) {
        final Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry(
                        "advertised.listeners",
                        "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.quorum.bootstrap.servers", host + ":" + controllerPort),
                Map.entry("log.dirs", logDir.toAbsolutePath().toString()),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "10"),
                Map.entry("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024)),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024)),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024)),
                Map.entry("log.cleaner.threads", "1"),
                Map.entry("log.segment.bytes", Integer.toString(16 * 1024 * 1024)),
                Map.entry("log.index.size.max.bytes", Integer.toString(1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4"),
                Map.entry("num.recovery.threads.per.data.dir", "1"),
                Map.entry("background.threads", "2")));
        return p;
    }

    /**
     * The SASL_PLAINTEXT listener's settings: PLAIN users in its JAAS config, SCRAM users (added after start, they live
     * in the cluster's metadata) checked by the SCRAM login module.
     */
    private static void addSaslListener(Properties props, String host, int saslPort, Map<String, String> passwords) {
        final String listener = "SASL_PLAINTEXT://" + host + ":" + saslPort;
        props.put("listeners", props.getProperty("listeners") + "," + listener);
        props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + listener);
        props.put(
                "listener.security.protocol.map",
                props.getProperty("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
        props.putAll(saslSettings(passwords));
    }

    private static Map<String, String> saslSettings(Map<String, String> passwords) {
        final StringBuilder plainUsers = new StringBuilder();
        passwords.forEach((user, password) -> plainUsers
                .append(" user_")
                .append(user)
                .append("=\"")
                .append(password)
                .append('"'));
        final String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        return Map.of(
                "sasl.enabled.mechanisms",
                "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required" + plainUsers + ";",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                scram,
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                scram);
    }

    /** Creates the SCRAM credentials of the users, then waits until a SCRAM login on the SASL listener works. */
    private void addScramUsers(Map<String, String> passwords) {
        final Properties plain = new Properties();
        plain.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(plain)) {
            // One alteration per user and request: a request that alters a user twice is refused.
            for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                final List<UserScramCredentialAlteration> upserts = new ArrayList<>();
                passwords.forEach((user, password) -> upserts.add(
                        new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, 4096), password)));
                admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create the SCRAM users on " + bootstrapServers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating SCRAM users", e);
        }
        final var first = passwords.entrySet().iterator().next();
        final Properties scram = new Properties();
        scram.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers);
        scram.put("security.protocol", "SASL_PLAINTEXT");
        scram.put("sasl.mechanism", "SCRAM-SHA-256");
        scram.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + first.getKey()
                        + "\" password=\"" + first.getValue() + "\";");
        awaitAnswer(scram, saslBootstrapServers);
    }

    /**
     * Returns the controller port: the one recorded at format time when it is still free (the quorum state names
     * it), else a free one — a single voter leads its quorum whatever port it listens on.
     */
    private static int controllerPort(Path dataDir, String host, boolean formatted) throws IOException {
        final Path file = dataDir.resolve(CONTROLLER_PORT_FILE);
        if (formatted && Files.exists(file)) {
            final int recorded = Integer.parseInt(Files.readString(file).trim());
            if (isFree(host, recorded)) {
                return recorded;
            }
            LOG.info("recorded controller port {} is in use; the controller listens on a free port", recorded);
        }
        return freePort(host);
    }

    private static void format(Path configFile) {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final String[] args = {
            "format",
            "--config",
            configFile.toString(),
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--standalone"
        };
        final int code;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(args, print);
        } catch (RuntimeException e) {
            throw new IllegalStateException("formatting the Kafka log dir failed: " + e.getMessage(), e);
        }
        final String text = output.toString(StandardCharsets.UTF_8).trim();
        if (code != 0) {
            throw new IllegalStateException("formatting the Kafka log dir failed (exit " + code + "): " + text);
        }
        LOG.debug("StorageTool: {}", text);
    }

    private void awaitReady() {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        awaitAnswer(props, bootstrapServers);
    }

    /** Waits until an admin client of {@code props} sees the broker at {@code address}. */
    private static void awaitAnswer(Properties props, String address) {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        try (Admin admin = Admin.create(props)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    final var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker on " + address, e);
                }
                sleep(100);
            }
            throw new IllegalStateException(
                    "Kafka broker on " + address + " did not answer within " + READY_TIMEOUT.toSeconds() + " s", last);
        }
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    private static int requireFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port in use: " + host + ":" + port + " (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isFree(String host, int port) {
        try {
            requireFree(host, port);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
