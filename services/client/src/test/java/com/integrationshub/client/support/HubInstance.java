package com.integrationshub.client.support;

import com.integrationshub.client.BearerTokenSource;
import com.integrationshub.testkit.HubTestCluster;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The real query-service started in this JVM on fresh topics of the shared test broker and registry (as
 * query-service's own tests start it), with a fresh JWT secret and Tink keyset. Its context also holds the client
 * as a Micronaut application would inject it, pointed at the instance itself with an admin token.
 */
public final class HubInstance implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final TestTokens tokens;

    private HubInstance(ApplicationContext context, TestTokens tokens) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.tokens = tokens;
    }

    /** Starts an instance on a free port and returns once it is started (its stores may still be restoring). */
    public static HubInstance start() {
        HubTestCluster cluster = HubTestCluster.shared();
        String id = cluster.uniqueName("client-it");
        TestTokens tokens = TestTokens.random();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", freePort());
        props.put("hub.kafka.bootstrap-servers", cluster.bootstrapServers());
        props.put("hub.registry.url", cluster.registryUrl());
        props.put("hub.kafka.partitions", 3);
        props.put("hub.kafka.topics.commands", id + ".commands");
        props.put("hub.kafka.topics.events", id + ".events");
        props.put("hub.kafka.topics.outcomes", id + ".outcomes");
        props.put("hub.streams.application-id", id);
        props.put("hub.streams.commit-interval", "20ms");
        props.put("hub.streams.state-dir", tempDir().toString());
        props.put("hub.secrets.keyset-json", TestKeyset.newKeyset());
        props.put("hub.security.jwt-secret", tokens.secret());
        // The service's context is also a Micronaut application that may inject the client (as admin, of itself).
        props.put("micronaut.http.services.integrations-hub.url", "http://127.0.0.1:" + props.get("micronaut.server.port"));
        ApplicationContext context = ApplicationContext.builder().properties(props)
                .singletons((BearerTokenSource) tokens::admin).start();
        HubInstance instance = new HubInstance(context, tokens);
        if (!instance.server.isRunning()) instance.server.start();
        return instance;
    }

    /** Returns the base URL, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Returns the instance's bean context. */
    public ApplicationContext context() {
        return context;
    }

    /** Returns the tokens this instance accepts. */
    public TestTokens tokens() {
        return tokens;
    }

    @Override
    public void close() {
        context.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.nio.file.Path tempDir() {
        try {
            return Files.createTempDirectory("client-it-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
