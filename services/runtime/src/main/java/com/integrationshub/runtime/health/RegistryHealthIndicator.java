package com.integrationshub.runtime.health;

import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Reports whether the schema registry answers its REST API and takes the service's credentials. */
@Singleton
public class RegistryHealthIndicator implements HealthIndicator {

    private final SchemaRegistryClient registry;
    private final Duration timeout;
    private final CachedCheck cached;

    public RegistryHealthIndicator(SchemaRegistryClient registry, KafkaSettings kafka, HealthSettings health) {
        this.cached = new CachedCheck(this::check, health.cacheFor());
        this.registry = registry;
        // The registry is checked within the time the broker check has (hub.kafka.admin-timeout).
        this.timeout = kafka.adminTimeout();
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return cached.result();
    }

    private HealthResult check() {
        String url = registry.baseUrl();
        try {
            int status = registry.probe(timeout);
            HealthStatus health = status == 200 ? HealthStatus.UP : HealthStatus.DOWN;
            Map<String, Object> details = status == 401 || status == 403
                    ? Map.of(
                            "url",
                            url,
                            "status",
                            status,
                            "error",
                            "credentials refused: check hub.registry.username and hub.registry.password")
                    : Map.of("url", url, "status", status);
            return HealthResult.builder("schema-registry", health)
                    .details(details)
                    .build();
        } catch (Exception e) {
            return HealthResult.builder("schema-registry", HealthStatus.DOWN)
                    .details(Map.of("url", url, "error", String.valueOf(e.getMessage())))
                    .build();
        }
    }
}
