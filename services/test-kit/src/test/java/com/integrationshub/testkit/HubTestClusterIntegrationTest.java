package com.integrationshub.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class HubTestClusterIntegrationTest {

    @Test
    void shouldStartOneClusterPerJvmEvenWhenAskedConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<HubTestCluster> ask = HubTestCluster::shared;
            List<Future<HubTestCluster>> answers = pool.invokeAll(List.of(ask, ask, ask, ask));
            for (Future<HubTestCluster> answer : answers) {
                assertSame(HubTestCluster.shared(), answer.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shouldBindBrokerAndRegistryToLoopback() {
        HubTestCluster cluster = HubTestCluster.shared();
        assertTrue(cluster.bootstrapServers().startsWith("127.0.0.1:"), cluster.bootstrapServers());
        assertTrue(cluster.registryUrl().startsWith("http://127.0.0.1:"), cluster.registryUrl());
    }

    @Test
    void shouldCreateTopicsAndToleratePresentOnes() throws Exception {
        HubTestCluster cluster = HubTestCluster.shared();
        String a = cluster.uniqueName("events");
        String b = cluster.uniqueName("commands");
        cluster.createTopics(3, a, b);
        cluster.createTopics(3, a);
        try (Admin admin = Admin.create(cluster.clientConfig())) {
            assertTrue(admin.listTopics().names().get().containsAll(Set.of(a, b)));
            assertEquals(
                    3,
                    admin.describeTopics(List.of(a))
                            .allTopicNames()
                            .get()
                            .get(a)
                            .partitions()
                            .size());
        }
    }

    @Test
    void shouldGiveDistinctUniqueNames() {
        HubTestCluster cluster = HubTestCluster.shared();
        assertNotEquals(cluster.uniqueName("t"), cluster.uniqueName("t"));
    }

    @Test
    void shouldServeTheRegistryApi() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create(HubTestCluster.shared().registryUrl() + "/subjects"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }
}
