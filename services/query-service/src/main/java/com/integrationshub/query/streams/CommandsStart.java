package com.integrationshub.query.streams;

import com.integrationshub.runtime.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new application id starts reading the commands topic: at its end. Streams would start a group without
 * committed offsets at the beginning, and so decide every command of the topic's history again, against views that
 * are still being folded from the events, appending what they yield to the log everyone reads. A group that has
 * committed offsets on the commands topic resumes from them, untouched.
 */
final class CommandsStart {

    private static final Logger LOG = LoggerFactory.getLogger(CommandsStart.class);

    private CommandsStart() {}

    /**
     * Commits the commands topic's end offsets (`ends`, by partition) for the group `applicationId` if it has no
     * committed offset on the topic yet. A group another instance has just started is not empty and refuses the
     * change: that instance committed the same choice a moment before, which a second look finds. Anything else that
     * fails stops the start: Streams would begin at the topic's beginning and decide its history again, which the
     * events log would keep forever.
     */
    static void atEndForNewGroup(
            KafkaSettings kafka, String applicationId, String commandsTopic, Map<Integer, Long> ends) {
        long timeoutMs = kafka.adminTimeout().toMillis();
        Properties props = kafka.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            if (!startsAnew(committed(admin, applicationId, timeoutMs), commandsTopic)) return;
            Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
            ends.forEach((partition, end) ->
                    atEnd.put(new TopicPartition(commandsTopic, partition), new OffsetAndMetadata(end)));
            try {
                admin.alterConsumerGroupOffsets(applicationId, atEnd).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (startsAnew(committed(admin, applicationId, timeoutMs), commandsTopic)) throw e;
                LOG.info("application id {}: another instance set where it starts on {}", applicationId, commandsTopic);
                return;
            }
            LOG.info(
                    "application id {} is new: it starts at the end of {} (offsets {}), deciding none of the commands"
                            + " before",
                    applicationId,
                    commandsTopic,
                    ends);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "cannot tell or set where application id " + applicationId + " starts on " + commandsTopic + ": "
                            + cause + " (it needs READ on its group and on the topic)",
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of " + applicationId, e);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group, long timeoutMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        return admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Whether a group with these committed offsets has never committed one on the commands topic. */
    static boolean startsAnew(Map<TopicPartition, OffsetAndMetadata> committed, String commandsTopic) {
        return committed.entrySet().stream()
                .noneMatch(e -> e.getValue() != null && e.getKey().topic().equals(commandsTopic));
    }
}
