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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
    private final Path dataDir;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
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
        keepHostJvmAlive();
        try {
            Files.createDirectories(dataDir);
            final Path logDir = dataDir.resolve("log");
            final boolean formatted = Files.exists(logDir.resolve("meta.properties"));
            final int brokerPort = port == 0 ? freePort(host) : requireFree(host, port);
            final int controllerPort = controllerPort(dataDir, host, formatted);
            final Properties props = serverProperties(logDir, host, brokerPort, controllerPort);
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
            final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, dataDir);
            try {
                server.startup();
                broker.awaitReady();
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
                    "Kafka broker listening on {} (data {}, {})",
                    bootstrap,
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
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
                    throw new IllegalStateException(
                            "interrupted while waiting for the broker on " + bootstrapServers, e);
                }
                sleep(100);
            }
            throw new IllegalStateException(
                    "Kafka broker on " + bootstrapServers + " did not answer within " + READY_TIMEOUT.toSeconds()
                            + " s",
                    last);
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
