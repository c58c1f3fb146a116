package com.integrationshub.query.streams;

import com.integrationshub.runtime.kafka.KafkaSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reports UP once the views are queryable and complete: Kafka Streams is RUNNING (its active tasks restored) and has
 * read, on every events partition it is active for, every event there was when this instance started. RUNNING alone
 * is not enough: an instance with nothing to restore (a new application id, a lost disk) is RUNNING within seconds and
 * then folds the whole log, answering reads from half-built views meanwhile. A partition whose committed offset is
 * short of its end at start is looked at ({@link PendingEvents}): only transaction markers between (a restart with
 * nothing new) count as read. Once caught up it stays UP while RUNNING: later partitions (a rebalance) are restored
 * before they answer, and later events are ordinary lag.
 */
@Singleton
public class StreamsHealthIndicator implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsHealthIndicator.class);
    private static final Duration LOOK_WITHIN = Duration.ofSeconds(2);

    private final HubStreams hub;
    private final KafkaSettings kafka;
    private volatile boolean caughtUp;
    private PendingEvents pending;

    public StreamsHealthIndicator(HubStreams hub, KafkaSettings kafka) {
        this.hub = hub;
        this.kafka = kafka;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        KafkaStreams streams = hub.streams();
        KafkaStreams.State state = streams == null ? null : streams.state();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state == null ? "NOT_STARTED" : state.name());
        if (state != KafkaStreams.State.RUNNING || caughtUp) {
            return Mono.just(result(state == KafkaStreams.State.RUNNING, details));
        }
        // Looking at the topic blocks: off the event loop.
        return Mono.fromCallable(() -> result(caughtUp(streams, details), details))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static HealthResult result(boolean up, Map<String, Object> details) {
        return HealthResult.builder("streams", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details)
                .build();
    }

    /** Whether the views have read every event there was at start; names the partitions still behind. */
    private synchronized boolean caughtUp(KafkaStreams streams, Map<String, Object> details) {
        if (caughtUp) return true;
        Map<Integer, Long> read = new TreeMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition tp : task.topicPartitions()) {
                    if (tp.topic().equals(kafka.eventsTopic()))
                        read.put(tp.partition(), task.committedOffsets().get(tp));
                }
            }
        }
        // RUNNING with no events partition here (more instances than partitions): nothing of the views is local.
        if (read.isEmpty()) {
            details.put("views", "no events partition is active here");
            return true;
        }
        // Before this process's first commit of a task, the group's offsets on the broker say where it stands.
        pending()
                .committed(read.keySet(), LOOK_WITHIN)
                .forEach((partition, offset) -> read.merge(
                        partition, offset, (local, broker) -> local == null || local < broker ? broker : local));
        Map<Integer, Long> ends = hub.eventsAtStart();
        Map<Integer, Long> behind = new TreeMap<>();
        // Once one partition holds an event still to read, the views are not complete: the others short of their
        // end are listed without a look at what lies between (each look fetches from the broker, on every probe).
        ViewsCatchUp.shortOfStart(ends, read).forEach((partition, at) -> {
            if (!behind.isEmpty() || pending().anyBetween(partition, at, ends.get(partition), LOOK_WITHIN)) {
                behind.put(partition, ends.get(partition) - at);
            }
        });
        if (!behind.isEmpty()) {
            details.put(
                    "views", "reading the events there were at start; offsets left by partition (at most): " + behind);
            return false;
        }
        caughtUp = true;
        LOG.info("views complete: every event there was at start has been read");
        closePending();
        return true;
    }

    private PendingEvents pending() {
        if (pending == null) pending = new PendingEvents(kafka, kafka.eventsTopic(), hub.applicationId());
        return pending;
    }

    @PreDestroy
    synchronized void closePending() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }
}
