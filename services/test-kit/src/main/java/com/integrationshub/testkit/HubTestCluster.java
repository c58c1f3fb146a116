package com.integrationshub.testkit;

import com.integrationshub.kafka.EmbeddedKafkaBroker;
import com.integrationshub.registry.LocalSchemaRegistry;
import com.integrationshub.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test fixture every module shares: one real Kafka broker and one local schema registry per test JVM, both on
 * 127.0.0.1 with free ports, started on first use and stopped when the JVM exits.
 *
 * <p>Tests in one JVM share the broker, so they name their topics, groups and application ids with
 * {@link #uniqueName(String)}.
 *
 * <p>The broker also listens with SASL_PLAINTEXT ({@link #saslBootstrapServers()}), taking {@link #SASL_USER} /
 * {@link #SASL_PASSWORD} with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, for tests of the services' Kafka security
 * settings; everything else uses the plain listener.
 */
public final class HubTestCluster {

    /** The user the broker's SASL listener takes. */
    public static final String SASL_USER = "hub-service";
    /** That user's password (PLAIN and SCRAM). */
    public static final String SASL_PASSWORD = "hub-service-secret";

    private static final Logger LOG = LoggerFactory.getLogger(HubTestCluster.class);
    private static final Object LOCK = new Object();
    private static volatile HubTestCluster shared;

    private final EmbeddedKafkaBroker broker;
    private final LocalSchemaRegistry registry;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();

    private HubTestCluster(EmbeddedKafkaBroker broker, LocalSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** Returns the cluster of this JVM, starting the broker and the registry on the first call. */
    public static HubTestCluster shared() {
        HubTestCluster cluster = shared;
        if (cluster == null) {
            synchronized (LOCK) {
                cluster = shared;
                if (cluster == null) {
                    cluster = startCluster();
                    shared = cluster;
                }
            }
        }
        return cluster;
    }

    /** Returns the {@code host:port} of the broker. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Returns the {@code host:port} of the broker's SASL_PLAINTEXT listener (users: {@link #SASL_USER}). */
    public String saslBootstrapServers() {
        return broker.saslBootstrapServers().orElseThrow();
    }

    /**
     * Starts another schema registry, on its own schemas topic, that takes only requests with these basic auth
     * credentials; the caller closes it.
     */
    public LocalSchemaRegistry startRegistry(SchemaRegistryClient.BasicAuth required) {
        return LocalSchemaRegistry.start(
                bootstrapServers(), EmbeddedKafkaBroker.LOOPBACK, 0, uniqueName("_schemas"), (short) 1, required);
    }

    /** Returns the base URL of the schema registry, e.g. {@code http://127.0.0.1:40123}. */
    public String registryUrl() {
        return registry.url();
    }

    /** Returns a minimal client configuration (bootstrap servers only) to extend in a test. */
    public Map<String, Object> clientConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** Creates the topics (replication factor 1) that do not exist yet and waits until they do. */
    public void createTopics(int partitions, String... names) {
        final List<NewTopic> topics = Arrays.stream(names)
                .map(n -> new NewTopic(n, partitions, (short) 1))
                .toList();
        try (Admin admin = Admin.create(clientConfig())) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + Arrays.toString(names), e);
        }
    }

    /** Returns a name that no other call in this JVM returns, e.g. {@code orders-3f2a9c1e-7}. */
    public String uniqueName(String prefix) {
        return prefix + "-" + runId + "-" + sequence.incrementAndGet();
    }

    private static HubTestCluster startCluster() {
        final Path dataDir;
        try {
            dataDir = Files.createTempDirectory("hub-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for the test broker", e);
        }
        final EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dataDir, EmbeddedKafkaBroker.LOOPBACK, 0, Map.of(SASL_USER, SASL_PASSWORD));
        final LocalSchemaRegistry registry;
        try {
            registry = LocalSchemaRegistry.start(broker.bootstrapServers(), EmbeddedKafkaBroker.LOOPBACK, 0);
        } catch (RuntimeException e) {
            broker.close();
            deleteRecursively(dataDir);
            throw e;
        }
        final HubTestCluster cluster = new HubTestCluster(broker, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.stop(dataDir), "hub-test-cluster-stop"));
        LOG.info("test cluster: broker {}, registry {}", broker.bootstrapServers(), registry.url());
        return cluster;
    }

    private void stop(Path dataDir) {
        try {
            registry.close();
        } catch (Exception e) {
            LOG.warn("closing the test registry failed: {}", e.toString());
        }
        broker.close();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
