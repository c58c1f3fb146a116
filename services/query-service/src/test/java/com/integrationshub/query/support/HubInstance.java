package com.integrationshub.query.support;

import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestKeyset;
import com.integrationshub.testkit.TestTokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One query-service instance started in this JVM against the shared test broker and registry (query-service's tests,
 * and the client's through query-service's test jar). Instances built from
 * the same {@link Deployment} share topics and application id, so they split the work like production instances.
 */
public final class HubInstance implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final Path stateDir;

    private HubInstance(ApplicationContext context, Path stateDir) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.stateDir = stateDir;
    }

    /** Starts an instance of the deployment with its own state dir and a free port. */
    public static HubInstance start(Deployment deployment) {
        return start(deployment, newStateDir(), freePort());
    }

    /** Starts an instance on a given state dir and port (a restart keeps both). */
    public static HubInstance start(Deployment deployment, Path stateDir, int port) {
        return start(deployment, stateDir, port, new Object[0]);
    }

    /**
     * Starts an instance whose context also holds the given beans, e.g. the token source of a client the context
     * injects (the client module's tests).
     */
    public static HubInstance start(Deployment deployment, Path stateDir, int port, Object... singletons) {
        Map<String, Object> props = new HashMap<>(deployment.properties());
        props.put("micronaut.server.port", port);
        props.put("hub.streams.state-dir", stateDir.toString());
        ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .singletons(singletons)
                .start();
        HubInstance instance = new HubInstance(context, stateDir);
        if (!instance.server.isRunning()) instance.server.start();
        return instance;
    }

    /** The base URL, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The HTTP port. */
    public int port() {
        return server.getPort();
    }

    /** The state dir of the instance's stores. */
    public Path stateDir() {
        return stateDir;
    }

    /** The instance's bean context. */
    public ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    /** A fresh temp dir for an instance's stores. */
    public static Path newStateDir() {
        try {
            return Files.createTempDirectory("hub-query-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free right now on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Topics, application id and secrets shared by the instances of one test's deployment. */
    public record Deployment(Map<String, Object> properties, String eventsTopic, String commandsTopic) {

        /** A new deployment on fresh topics of the shared cluster. */
        public static Deployment fresh() {
            return fresh(Map.of());
        }

        /** A new deployment on fresh topics, with extra properties. */
        public static Deployment fresh(Map<String, Object> extra) {
            HubTestCluster cluster = HubTestCluster.shared();
            String id = cluster.uniqueName("hub");
            Map<String, Object> props = new HashMap<>();
            props.put("hub.kafka.bootstrap-servers", cluster.bootstrapServers());
            props.put("hub.registry.url", cluster.registryUrl());
            props.put("hub.kafka.partitions", 3);
            props.put("hub.kafka.topics.commands", id + ".commands");
            props.put("hub.kafka.topics.events", id + ".events");
            props.put("hub.kafka.topics.outcomes", id + ".outcomes");
            props.put("hub.kafka.topics.dead-letters", id + ".dead-letters");
            props.put("hub.specs.topic", id + ".specs");
            props.put("hub.streams.application-id", id);
            props.put("hub.streams.commit-interval", "20ms");
            // A cold application's first commands wait for its transactions and schemas; CI machines are small.
            props.put("hub.commands.decision-timeout", "30s");
            props.put("hub.secrets.keyset-json", TestKeyset.KEYSET_JSON);
            props.put("hub.security.jwt-secret", TestTokens.SECRET);
            // The OAuth provider stand-in answers on http://127.0.0.1; production defaults refuse both.
            props.put("hub.oauth.allow-insecure-http", true);
            props.put("hub.oauth.allow-loopback", true);
            props.putAll(extra);
            return new Deployment(Map.copyOf(props), id + ".events", id + ".commands");
        }
    }
}
