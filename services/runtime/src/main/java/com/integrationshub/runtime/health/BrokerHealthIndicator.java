package com.integrationshub.runtime.health;

import com.integrationshub.runtime.kafka.KafkaSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;

/** Reports whether the Kafka cluster answers. */
@Singleton
public class BrokerHealthIndicator implements HealthIndicator {

    private final KafkaSettings settings;
    private final Admin admin;
    private final CachedCheck cached;

    public BrokerHealthIndicator(KafkaSettings settings, HealthSettings health) {
        this.settings = settings;
        this.cached = new CachedCheck(this::check, health.cacheFor());
        Properties props = settings.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)
                settings.adminTimeout().toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)
                settings.adminTimeout().toMillis());
        this.admin = Admin.create(props);
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return cached.result();
    }

    private HealthResult check() {
        long timeout = settings.adminTimeout().toMillis();
        try {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout));
            int brokers = cluster.nodes().get(timeout, TimeUnit.MILLISECONDS).size();
            return HealthResult.builder("kafka", HealthStatus.UP)
                    .details(Map.of("bootstrap_servers", settings.bootstrapServers(), "brokers", brokers))
                    .build();
        } catch (Exception e) {
            return HealthResult.builder("kafka", HealthStatus.DOWN)
                    .details(Map.of(
                            "bootstrap_servers", settings.bootstrapServers(), "error", String.valueOf(e.getMessage())))
                    .build();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
