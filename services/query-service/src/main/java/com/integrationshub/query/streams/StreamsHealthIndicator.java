package com.integrationshub.query.streams;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Reports UP once the views are queryable and complete: Kafka Streams is RUNNING (its active tasks restored) and has
 * read, on every events partition it is active for, up to where the partition ended when this instance started.
 * RUNNING alone is not enough: an instance with nothing to restore (a new application id, a lost disk) is RUNNING
 * within seconds and then folds the whole log, answering reads from half-built views meanwhile. Once caught up it
 * stays UP: later partitions (a rebalance) are restored before they answer, and later events are ordinary lag.
 */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {

    private final HubStreams hub;
    private volatile boolean caughtUp;

    public StreamsHealthIndicator(HubStreams hub) {
        this.hub = hub;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams streams = hub.streams();
        KafkaStreams.State state = streams == null ? null : streams.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state == null ? "NOT_STARTED" : state.name());
        boolean up = state == KafkaStreams.State.RUNNING && caughtUp(streams, details);
        return Mono.just(HealthResult.builder("streams", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details)
                .build());
    }

    /** Whether the views have read every event there was at start; names the partitions still behind. */
    private boolean caughtUp(KafkaStreams streams, Map<String, Object> details) {
        if (caughtUp) return true;
        Map<Integer, Long> read = new TreeMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(hub.eventsTopic()))
                        read.put(tp.partition(), task.committedOffsets().get(tp));
                }
            }
        }
        int active = read.size();
        Map<Integer, Long> behind = ViewsCatchUp.behind(hub.eventsAtStart(), read);
        // RUNNING with no events partition here (more instances than partitions): nothing of the views is local.
        if (active == 0) {
            details.put("views", "no events partition is active here");
            return true;
        }
        if (!behind.isEmpty()) {
            details.put("views", "catching up with the events at start; events behind by partition: " + behind);
            return false;
        }
        caughtUp = true;
        return true;
    }
}
