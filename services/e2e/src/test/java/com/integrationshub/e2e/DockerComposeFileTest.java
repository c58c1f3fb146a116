package com.integrationshub.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checks docker-compose.yml with {@code docker-compose config} (no engine is needed for that); CI installs it. */
class DockerComposeFileTest {

    private static final Path ROOT =
            Path.of(System.getProperty("hub.root", "../..")).toAbsolutePath().normalize();

    @Test
    void shouldBeAValidComposeFileWithKafkaRegistryAndBothServices() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        final Process config = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "--services")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        final String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(config.waitFor(60, TimeUnit.SECONDS), "docker-compose config did not finish");
        assertEquals(0, config.exitValue(), "docker-compose config rejected the file:\n" + output);
        for (String service : new String[] {
            "kafka", "schema-registry", "query-service", "token-refresher", "metrics-token", "prometheus", "grafana"
        }) {
            assertTrue(output.lines().anyMatch(service::equals), "expected service " + service + " in:\n" + output);
        }
    }

    @Test
    void shouldScrapeBothServicesAndChartEveryHubMetric() throws IOException {
        final String prometheus = Files.readString(ROOT.resolve("docker/prometheus/prometheus.yml"));
        for (String target : new String[] {"query-service:8080", "token-refresher:8082"}) {
            assertTrue(prometheus.contains(target), "Prometheus scrapes " + target);
        }
        assertTrue(prometheus.contains("metrics_path: /prometheus"), "Prometheus scrapes /prometheus");
        final String dashboard = Files.readString(ROOT.resolve("docker/grafana/dashboards/integrations-hub.json"));
        for (String metric : new String[] {
            "http_server_requests_seconds_bucket",
            "hub_commands_accepted_total",
            "hub_commands_rejected_total",
            "hub_command_decision_seconds_bucket",
            "hub_write_visible_seconds_bucket",
            "kafka_consumer_fetch_manager_records_lag_max",
            "hub_refresher_refreshes_total",
            "hub_refresher_tokens",
            "hub_refresher_soonest_expiry_seconds",
            "hub_refresher_schedule_size",
            "hub_dead_letters_total"
        }) {
            assertTrue(dashboard.contains(metric), "the dashboard charts " + metric);
        }
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        final Process which = new ProcessBuilder("sh", "-c", "command -v " + command).start();
        return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
    }
}
