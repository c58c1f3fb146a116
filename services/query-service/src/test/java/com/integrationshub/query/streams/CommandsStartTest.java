package com.integrationshub.query.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which groups start at the commands topic's end: those that never committed an offset on it. */
class CommandsStartTest {

    private static final String COMMANDS = "hub.commands";

    @Test
    void shouldStartANewGroupAtTheEnd() {
        assertTrue(CommandsStart.startsAnew(Map.of(), COMMANDS));
    }

    @Test
    void shouldStartAGroupWithOffsetsOnlyOnOtherTopicsAtTheEndToo() {
        assertTrue(CommandsStart.startsAnew(
                Map.of(new TopicPartition("hub.events", 0), new OffsetAndMetadata(42)), COMMANDS));
    }

    @Test
    void shouldLeaveAGroupThatCommittedOnTheCommandsTopicWhereItWas() {
        assertFalse(
                CommandsStart.startsAnew(Map.of(new TopicPartition(COMMANDS, 2), new OffsetAndMetadata(0)), COMMANDS));
    }
}
