package com.integrationshub.query.streams;

import static com.integrationshub.query.streams.TestCommands.createConnection;
import static com.integrationshub.query.streams.TestCommands.createIntegration;
import static com.integrationshub.query.streams.TestCommands.startAuthorization;
import static com.integrationshub.query.streams.TestCommands.upsertMapping;
import static com.integrationshub.query.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.GrantType;
import com.integrationshub.domain.IdempotencyKeys;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.query.store.StateEpoch;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.runtime.kafka.DeadLetters;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command processor's logic through the real topology, without a broker: which commands append events, which
 * are answered on the outcomes topic, and what the processed-command store remembers. Exactly-once, restarts and
 * routing between instances need the broker and are tested in {@code pipeline/*}.
 */
class CommandTopologyTest {

    private static final SchemaRegistryStandIn REGISTRY = SchemaRegistryStandIn.start();

    private TopologyFixture hub;

    @AfterEach
    void close() {
        if (hub != null) hub.close();
    }

    @AfterAll
    static void stopRegistry() {
        REGISTRY.close();
    }

    @Test
    void shouldAppendTheEventOfAnAcceptedCommandAndAnswerItOnceTheViewHasIt() {
        hub = TopologyFixture.start(REGISTRY);

        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));

        List<TestRecord<String, SpecificRecord>> appended = hub.appended();
        assertEquals(1, appended.size(), "one event appended, got " + appended);
        assertEquals("Halo", appended.get(0).key(), "the event is keyed by its integration");
        IntegrationCreated created = (IntegrationCreated) appended.get(0).value();
        assertEquals("c-1", created.getCausationId());
        assertEquals(1L, created.getVersion());
        assertNotNull(
                appended.get(0).headers().lastHeader(StateEpoch.HEADER),
                "the event names the state it was folded into, so the view builder passes over it");
        // One outcome: the event fed back from the events topic is not folded (nor answered) a second time.
        CommandOutcome outcome = single(hub.outcomes(), "c-1");
        assertTrue(outcome.getAccepted(), outcome.toString());
        assertEquals(1L, outcome.getVersion());
        assertEquals("IntegrationCreated", outcome.getEventType());
        assertEquals(Boolean.TRUE, outcome.getCreated());
        IntegrationState view = hub.<IntegrationState>store(StoreNames.view(StoreNames.INTEGRATIONS))
                .get("Halo");
        assertNotNull(view, "the outcome is only published with the view's change");
        assertEquals(1L, view.getVersion());
    }

    @Test
    void shouldAnswerARejectionOnTheOutcomesTopicAndAppendNothing() {
        hub = TopologyFixture.start(REGISTRY);

        hub.send("Nowhere", upsertMapping("c-2", "Nowhere", "org-1", "gold", T0));

        assertEquals(List.of(), hub.appended(), "a rejected command appends nothing");
        CommandOutcome outcome = single(hub.outcomes(), "c-2");
        assertFalse(outcome.getAccepted());
        assertEquals(404, outcome.getProblem().getStatus(), outcome.toString());
        assertEquals(Problems.NOT_FOUND, outcome.getProblem().getType());
    }

    @Test
    void shouldAnswerARepeatedCommandIdWithItsFirstOutcomeAndDecideItOnce() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));
        CommandOutcome first = single(hub.outcomes(), "c-1");
        hub.appended();

        hub.advance(Duration.ofMinutes(5));
        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));

        assertEquals(List.of(), hub.appended(), "the repeat appends nothing");
        CommandOutcome again = single(hub.outcomes(), "c-1");
        assertTrue(again.getAccepted(), "decided again it would be a 409 conflict, got " + again);
        assertEquals(first.getVersion(), again.getVersion());
        assertEquals(first.getEventType(), again.getEventType());
        assertEquals(T0, again.getDecidedAt(), "the first decision's time, not the repeat's");

        hub.send("Halo", createIntegration("c-3", "Halo", null, T0));
        assertEquals(409, single(hub.outcomes(), "c-3").getProblem().getStatus(), "another command id is decided");
    }

    @Test
    void shouldAnswerARepeatedRejectedCommandWithItsFirstRejection() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("Halo", upsertMapping("c-2", "Halo", "org-1", "gold", T0));
        CommandOutcome first = single(hub.outcomes(), "c-2");

        // Meanwhile the integration exists, so deciding the command again would accept it.
        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));
        hub.outcomes();
        hub.appended();
        hub.send("Halo", upsertMapping("c-2", "Halo", "org-1", "gold", T0));

        assertEquals(List.of(), hub.appended());
        assertEquals(first, single(hub.outcomes(), "c-2"));
    }

    @Test
    void shouldRefuseAnIdempotencyKeyReusedWithAnotherRequestWith422AndAppendNothing() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));
        String gold = keyed("key-1", "gold");
        String silver = keyed("key-1", "silver");
        hub.send("Halo", upsertMapping(gold, "Halo", "org-1", "gold", T0));
        assertTrue(single(
                        hub.outcomes().stream()
                                .filter(o -> o.key().equals(gold))
                                .toList(),
                        gold)
                .getAccepted());
        hub.appended();

        hub.send("Halo", upsertMapping(silver, "Halo", "org-1", "silver", T0));

        assertEquals(List.of(), hub.appended(), "the misused key appends nothing");
        CommandOutcome refused = single(hub.outcomes(), silver);
        assertFalse(refused.getAccepted());
        assertEquals(422, refused.getProblem().getStatus(), refused.toString());
        assertEquals(
                IdempotencyKeys.HEADER, refused.getProblem().getErrors().get(0).getField());
        MappingState mapping =
                hub.<MappingState>store(StoreNames.view(StoreNames.MAPPINGS)).get("Halo/org-1");
        assertEquals("gold", String.valueOf(mapping.getConfig().get("tier")), "the first request's mapping stays");

        hub.send("Halo", upsertMapping(gold, "Halo", "org-1", "gold", T0));
        assertTrue(single(hub.outcomes(), gold).getAccepted(), "the first request retried is still answered");
    }

    @Test
    void shouldForgetAProcessedCommandIdOnlyOnceItsRetentionHasPassed() {
        hub = TopologyFixture.start(
                REGISTRY,
                TopologyFixture.Settings.defaults()
                        .withRetention(new StoreRetention(Duration.ofHours(1), Duration.ofMinutes(1))));
        hub.send("Nowhere", upsertMapping("r-1", "Nowhere", "org-1", "gold", T0));
        hub.outcomes();

        hub.advance(Duration.ofMinutes(59));
        assertNotNull(hub.store(StoreNames.PROCESSED_COMMANDS).get("r-1"), "kept within the retention");
        hub.send("Nowhere", upsertMapping("r-1", "Nowhere", "org-1", "gold", hub.now()));
        assertEquals(T0, single(hub.outcomes(), "r-1").getDecidedAt(), "answered from memory within the retention");

        hub.advance(Duration.ofMinutes(2));
        assertNull(hub.store(StoreNames.PROCESSED_COMMANDS).get("r-1"), "swept once the retention has passed");
        hub.send("Nowhere", upsertMapping("r-1", "Nowhere", "org-1", "gold", hub.now()));
        assertEquals(
                T0.plus(Duration.ofMinutes(61)),
                single(hub.outcomes(), "r-1").getDecidedAt(),
                "decided anew after the retention");
    }

    @Test
    void shouldDeleteExpiredAuthorizationsFromTheViewStore() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("acme", createConnection("c-1", "acme", GrantType.AUTHORIZATION_CODE, T0));
        Instant expiry = T0.plus(Duration.ofMinutes(10));
        hub.send("acme", startAuthorization("c-2", "acme", "org-1", "state-1", T0, expiry));
        hub.send("acme", startAuthorization("c-3", "acme", "org-2", "state-2", T0, expiry.plus(Duration.ofHours(1))));
        assertTrue(single(
                        hub.outcomes().stream()
                                .filter(o -> o.key().equals("c-2"))
                                .toList(),
                        "c-2")
                .getAccepted());
        String view = StoreNames.view(StoreNames.AUTHORIZATIONS);
        assertEquals(2, hub.count(view));
        long changes = hub.changes.changes();

        hub.advance(Duration.ofMinutes(11));

        assertNull(hub.store(view).get("state-1"), "the expired authorization leaves the store");
        assertNotNull(hub.store(view).get("state-2"), "an unexpired one stays");
        assertTrue(hub.changes.changes() > changes, "and the deletion is told to whoever caches the views");
    }

    @Test
    void shouldRejectACommandOverTheRecordBudgetWith413AndAppendNothing() {
        hub = TopologyFixture.start(
                REGISTRY, TopologyFixture.Settings.defaults().withMaxRecordBytes(4096));

        hub.send("Big", createIntegration("c-1", "Big", "d".repeat(5000), T0));

        assertEquals(List.of(), hub.appended(), "nothing over the budget is appended");
        CommandOutcome outcome = single(hub.outcomes(), "c-1");
        assertFalse(outcome.getAccepted());
        assertEquals(413, outcome.getProblem().getStatus(), outcome.toString());
        assertNull(hub.store(StoreNames.view(StoreNames.INTEGRATIONS)).get("Big"), "and nothing stored");

        hub.send("Big", createIntegration("c-2", "Big", "d".repeat(100), T0));
        assertTrue(single(hub.outcomes(), "c-2").getAccepted(), "a command within the budget is accepted");
    }

    @Test
    void shouldSendUnreadableCommandsAndEventsToTheDeadLetterTopicAndGoOn() {
        hub = TopologyFixture.start(REGISTRY);
        byte[] key = "Halo".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchemaId = {0, 0x7f, 0x12, 0x34, 0x56, 1, 2, 3};

        hub.sendBytes(TopologyFixture.COMMANDS, key, "not avro at all".getBytes(StandardCharsets.UTF_8));
        hub.sendBytes(TopologyFixture.COMMANDS, key, unknownSchemaId);
        hub.sendBytes(TopologyFixture.EVENTS, key, unknownSchemaId);

        List<TestRecord<byte[], byte[]>> dead = hub.deadLetters();
        assertEquals(
                List.of("hub.commands-0@0", "hub.commands-0@1", "hub.events-0@0"),
                dead.stream().map(CommandTopologyTest::source).toList());
        for (TestRecord<byte[], byte[]> letter : dead) {
            assertEquals(TopologyFixture.APPLICATION_ID, DeadLetters.header(letter.headers(), DeadLetters.READER));
            assertNotNull(DeadLetters.header(letter.headers(), DeadLetters.REASON));
            assertEquals(
                    "Halo", new String(letter.key(), StandardCharsets.UTF_8), "the unreadable record's key is kept");
        }
        assertEquals(List.of(), hub.outcomes(), "an unreadable record is answered by nobody");

        hub.send("Halo", createIntegration("c-1", "Halo", null, T0));
        assertTrue(single(hub.outcomes(), "c-1").getAccepted(), "processing goes on");
    }

    private static String source(TestRecord<byte[], byte[]> letter) {
        return DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                + DeadLetters.header(letter.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                + DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET);
    }

    /** The command id the controllers make of an Idempotency-Key for an admin's PUT of org-1's Halo mapping. */
    private static String keyed(String key, String tier) {
        return IdempotencyKeys.commandId(
                "admin", null, "UpsertMapping", "Halo/org-1", key, IdempotencyKeys.fingerprint(tier));
    }

    /** The only outcome, which must be keyed `key`. */
    static CommandOutcome single(List<TestRecord<String, CommandOutcome>> outcomes, String key) {
        assertEquals(1, outcomes.size(), "expected one outcome for " + key + ", got " + outcomes);
        assertEquals(key, outcomes.get(0).key(), "the outcome is keyed by the command id");
        return outcomes.get(0).value();
    }
}
