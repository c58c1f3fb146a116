package com.integrationshub.system;

import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestKeyset;
import com.integrationshub.testkit.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system under test: the shared real broker and registry of this JVM, fresh topics, one query-service process
 * and any number of token-refresher processes, all with the same secrets.
 */
final class Hub implements AutoCloseable {

    private final String id = HubTestCluster.shared().uniqueName("sys");
    private final String keyset = TestKeyset.newKeyset();
    private final Path dir;
    private final List<ServiceProcess> refreshers = new ArrayList<>();
    private final Map<String, String> refresherSettings;
    private ServiceProcess query;
    private int refresherCount;

    private Hub(Map<String, String> refresherSettings) {
        this.refresherSettings = refresherSettings;
        try {
            this.dir = Files.createTempDirectory("hub-system-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts query-service and one refresher; `refresherSettings` are extra environment of the refreshers. */
    static Hub start(Map<String, String> refresherSettings) {
        return start(refresherSettings, Map.of());
    }

    /** As {@link #start(Map)}, with extra environment of query-service too. */
    static Hub start(Map<String, String> refresherSettings, Map<String, String> querySettings) {
        Hub hub = new Hub(refresherSettings);
        int port = freePort();
        Map<String, String> env = hub.common();
        env.put("HUB_HTTP_PORT", Integer.toString(port));
        env.put("HUB_STATE_DIR", hub.dir.resolve("query-state").toString());
        env.put("HUB_STREAMS_APPLICATION_ID", hub.id + "-query");
        env.put("HUB_COMMIT_INTERVAL", "20ms");
        env.put("HUB_DECISION_TIMEOUT", "30s");
        env.put("HUB_STANDBY_REPLICAS", "0");
        env.putAll(querySettings);
        hub.query = ServiceProcess.start(
                "query-service",
                "com.integrationshub.query.QueryServiceApplication",
                port,
                env,
                hub.dir.resolve("query-service.log"));
        hub.startRefresher();
        return hub;
    }

    /** Starts one more refresher instance in the same consumer group. */
    ServiceProcess startRefresher() {
        int port = freePort();
        Map<String, String> env = common();
        env.put("HUB_REFRESHER_PORT", Integer.toString(port));
        env.put("HUB_REFRESHER_GROUP_ID", id + "-refresher");
        env.putAll(refresherSettings);
        ServiceProcess refresher = ServiceProcess.start(
                "token-refresher",
                "com.integrationshub.refresher.TokenRefresherApplication",
                port,
                env,
                dir.resolve("token-refresher-" + (++refresherCount) + ".log"));
        refreshers.add(refresher);
        return refresher;
    }

    /** The refresher instances started so far, in order (killed ones included). */
    List<ServiceProcess> refreshers() {
        return List.copyOf(refreshers);
    }

    /** Stops every refresher instance. */
    void stopRefreshers() {
        refreshers.forEach(ServiceProcess::close);
        refreshers.clear();
    }

    /** query-service's base URL. */
    String url() {
        return query.url();
    }

    /** The events topic. */
    String eventsTopic() {
        return id + ".events";
    }

    /** The topics of this system (its own and its Streams application's internal ones start with the id). */
    String topicPrefix() {
        return id;
    }

    /** The directory holding the processes' logs. */
    Path dir() {
        return dir;
    }

    private Map<String, String> common() {
        HubTestCluster cluster = HubTestCluster.shared();
        Map<String, String> env = new HashMap<>();
        env.put("HUB_KAFKA_BOOTSTRAP", cluster.bootstrapServers());
        env.put("HUB_REGISTRY_URL", cluster.registryUrl());
        env.put("HUB_PARTITIONS", "3");
        env.put("HUB_COMMANDS_TOPIC", id + ".commands");
        env.put("HUB_EVENTS_TOPIC", id + ".events");
        env.put("HUB_OUTCOMES_TOPIC", id + ".outcomes");
        env.put("HUB_JWT_SECRET", TestTokens.SECRET);
        env.put("HUB_KEYSET", keyset);
        // The OAuth provider stand-in answers on http://127.0.0.1; production defaults refuse both.
        env.put("HUB_OAUTH_ALLOW_INSECURE_HTTP", "true");
        env.put("HUB_OAUTH_ALLOW_LOOPBACK", "true");
        return env;
    }

    @Override
    public void close() {
        stopRefreshers();
        if (query != null) query.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
