package com.integrationshub.runtime.health;

import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.registry.RegistrySettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Reports whether the schema registry answers its REST API. */
@Singleton
public class RegistryHealthIndicator implements HealthIndicator {

    private final String url;
    private final Duration timeout;
    private final HttpClient http;
    private final CachedCheck cached;

    public RegistryHealthIndicator(RegistrySettings registry, KafkaSettings kafka, HealthSettings health) {
        this.cached = new CachedCheck(this::check, health.cacheFor());
        this.url = registry.url();
        // The registry is checked within the time the broker check has (hub.kafka.admin-timeout).
        this.timeout = kafka.adminTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return cached.result();
    }

    private HealthResult check() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(timeout)
                    .GET()
                    .build();
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            HealthStatus health = status == 200 ? HealthStatus.UP : HealthStatus.DOWN;
            return HealthResult.builder("schema-registry", health)
                    .details(Map.of("url", url, "status", status))
                    .build();
        } catch (Exception e) {
            return HealthResult.builder("schema-registry", HealthStatus.DOWN)
                    .details(Map.of("url", url, "error", String.valueOf(e.getMessage())))
                    .build();
        }
    }
}
