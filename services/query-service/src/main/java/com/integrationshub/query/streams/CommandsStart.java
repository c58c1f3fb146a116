package com.integrationshub.query.streams;

import com.integrationshub.runtime.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.List;
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
     * committed offset on the topic yet; answers whether it did. A group another instance has just started is not
     * empty and refuses the change: that instance made the same choice a moment before, so this one goes on.
     */
    static boolean atEndForNewGroup(
            KafkaSettings kafka, String applicationId, String commandsTopic, Map<Integer, Long> ends) {
        long timeoutMs = kafka.adminTimeout().toMillis();
        Properties props = kafka.clientProperties();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!startsAnew(committed, commandsTopic)) return false;
            Map<TopicPartition, OffsetAndMetadata> atEnd = new HashMap<>();
            ends.forEach((partition, end) ->
                    atEnd.put(new TopicPartition(commandsTopic, partition), new OffsetAndMetadata(end)));
            admin.alterConsumerGroupOffsets(applicationId, atEnd).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            long skipped = ends.values().stream().mapToLong(Long::longValue).sum();
            LOG.info(
                    "application id {} is new: it starts at the end of {} ({} commands there before it are not decided"
                            + " again)",
                    applicationId,
                    commandsTopic,
                    skipped);
            return true;
        } catch (ExecutionException e) {
            LOG.info(
                    "application id {}: the start of {} was not set ({}); Streams' committed offsets apply",
                    applicationId,
                    commandsTopic,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            return false;
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the committed offsets of " + applicationId + " within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offsets of " + applicationId, e);
        }
    }

    /** Whether a group with these committed offsets has never committed one on the commands topic. */
    static boolean startsAnew(Map<TopicPartition, OffsetAndMetadata> committed, String commandsTopic) {
        List<TopicPartition> onCommands = committed.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getKey().topic().equals(commandsTopic))
                .map(Map.Entry::getKey)
                .toList();
        return onCommands.isEmpty();
    }
}
