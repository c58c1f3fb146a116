package com.integrationshub.query.streams;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/** Reports UP once the views are queryable: Kafka Streams is RUNNING (its active tasks restored). */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {

    private final HubStreams hub;

    public StreamsHealthIndicator(HubStreams hub) {
        this.hub = hub;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams streams = hub.streams();
        KafkaStreams.State state = streams == null ? null : streams.state();
        HealthStatus status = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
        return Mono.just(HealthResult.builder("streams", status)
                .details(Map.of("state", state == null ? "NOT_STARTED" : state.name()))
                .build());
    }
}
