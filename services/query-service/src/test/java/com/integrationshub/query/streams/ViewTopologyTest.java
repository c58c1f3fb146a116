package com.integrationshub.query.streams;

import static com.integrationshub.query.streams.CommandTopologyTest.single;
import static com.integrationshub.query.streams.TestCommands.createConnection;
import static com.integrationshub.query.streams.TestCommands.deleteConnection;
import static com.integrationshub.query.streams.TestCommands.issueToken;
import static com.integrationshub.query.streams.TestCommands.recordFailure;
import static com.integrationshub.query.streams.TestCommands.recordRefresh;
import static com.integrationshub.query.streams.TestCommands.requestRefresh;
import static com.integrationshub.query.streams.TopologyFixture.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.query.store.StateEpoch;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.view.RefreshOutcomeKeys;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.TokenState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The views' fold through the real topology, without a broker: each event folded into the views (by the command
 * processor that decided it, or by the view builder when it was decided against other state), the outcome that tells
 * the waiting request (keyed by the event's causation id), and the answers to a token's refresh requests (keyed by the
 * token).
 */
class ViewTopologyTest {

    private static final String TOKEN = Names.tokenId("acme", "org-1");
    private static final String REFRESH_KEY = RefreshOutcomeKeys.of(TOKEN);

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
    void shouldFoldAnEventDecidedElsewhereAndPublishItsOutcomeKeyedByCausationId() {
        hub = TopologyFixture.start(REGISTRY);

        hub.append("Halo", created("e-1", "cmd-9"));

        IntegrationState view = hub.<IntegrationState>store(StoreNames.view(StoreNames.INTEGRATIONS))
                .get("Halo");
        assertNotNull(view, "the event is in the view");
        assertEquals(1L, view.getVersion());
        CommandOutcome outcome = single(hub.outcomes(), "cmd-9");
        assertTrue(outcome.getAccepted());
        assertEquals("integration/Halo", outcome.getAggregateId());
        assertEquals(1L, outcome.getVersion());
        assertEquals("IntegrationCreated", outcome.getEventType());
        assertEquals(T0, outcome.getDecidedAt(), "the event record's time");

        hub.send("Halo", TestCommands.createIntegration("c-1", "Halo", null, T0));
        assertEquals(
                409,
                single(hub.outcomes(), "c-1").getProblem().getStatus(),
                "commands are decided against the state the fold made");
    }

    @Test
    void shouldPassOverOnlyTheEventsDecidedAgainstThisState() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("Halo", TestCommands.createIntegration("c-1", "Halo", null, T0));
        var ours = hub.appended().get(0);
        hub.outcomes();
        long changes = hub.changes.changes();

        // The same event again with this state's epoch (a producer retry would look so): already folded.
        hub.append("Halo", ours.value(), ours.headers());
        assertEquals(List.of(), hub.outcomes(), "not answered again");
        assertEquals(changes, hub.changes.changes(), "nor folded again");

        // An event decided against another state (another application id) names another epoch: folded.
        RecordHeaders theirs = new RecordHeaders();
        theirs.add(StateEpoch.HEADER, "another-state".getBytes(StandardCharsets.UTF_8));
        hub.append("Okta", createdOf("Okta", "e-2", "cmd-2"), theirs);
        assertTrue(single(hub.outcomes(), "cmd-2").getAccepted());
        assertNotNull(hub.store(StoreNames.view(StoreNames.INTEGRATIONS)).get("Okta"), "it is in the view");
    }

    @Test
    void shouldFoldAnOldEventWithoutAnsweringItSinceNobodyWaitsForItAnyMore() {
        hub = TopologyFixture.start(REGISTRY);
        hub.advance(TopologyFixture.DECISION_TIMEOUT.plusSeconds(1));

        hub.appendAt("Halo", created("e-1", "cmd-9"), new RecordHeaders(), T0);

        assertNotNull(hub.store(StoreNames.view(StoreNames.INTEGRATIONS)).get("Halo"), "folded as any other");
        assertEquals(List.of(), hub.outcomes(), "sent longer ago than a request waits: no outcome");

        hub.appendAt("Okta", createdOf("Okta", "e-2", "cmd-2"), new RecordHeaders(), hub.now());
        assertTrue(single(hub.outcomes(), "cmd-2").getAccepted(), "a recent one is answered");
    }

    private static IntegrationCreated created(String eventId, String causation) {
        return createdOf("Halo", eventId, causation);
    }

    private static IntegrationCreated createdOf(String name, String eventId, String causation) {
        return IntegrationCreated.newBuilder()
                .setEventId(eventId)
                .setAggregateId("integration/" + name)
                .setVersion(1)
                .setOccurredAt(T0)
                .setCausationId(causation)
                .setName(name)
                .setAuthScheme(AuthScheme.API_KEY)
                .setConfigSchema(List.of())
                .setCreatedAt(T0)
                .build();
    }

    @Test
    void shouldAnswerARefreshRequestUnderItsTokenOnceTheRefreshIsInTheView() {
        hub = withToken();
        hub.send("acme", requestRefresh("req-1", "acme", "org-1", T0));
        var requested = hub.appended();
        assertEquals(1, requested.size());
        assertTrue(requested.get(0).value() instanceof TokenRefreshRequested, requested.toString());
        assertEquals(List.of("req-1"), keys(hub.outcomes()), "the request is answered once it is on the log");

        hub.send("acme", recordRefresh("refreshed-1", "acme", "org-1", 1, "req-1", T0));

        Map<String, CommandOutcome> outcomes = byKey(hub.outcomes());
        assertEquals(List.of("refreshed-1", REFRESH_KEY), List.copyOf(outcomes.keySet()));
        CommandOutcome answer = outcomes.get(REFRESH_KEY);
        assertTrue(answer.getAccepted(), answer.toString());
        assertEquals(2L, answer.getVersion());
        assertEquals("TokenRefreshed", answer.getEventType());
        TokenState token =
                hub.<TokenState>store(StoreNames.view(StoreNames.TOKENS)).get(TOKEN);
        assertEquals(2L, token.getVersion(), "the refresh is in the view the answer points to");
    }

    @Test
    void shouldAnswerWaitingRefreshRequestsWithANewlyIssuedToken() {
        hub = TopologyFixture.start(REGISTRY);
        hub.send("acme", createConnection("c-1", "acme", GrantType.CLIENT_CREDENTIALS, T0));
        hub.outcomes();

        hub.send("acme", issueToken("issue-1", "acme", "org-1", T0));

        CommandOutcome answer = byKey(hub.outcomes()).get(REFRESH_KEY);
        assertNotNull(answer, "a token issued meanwhile answers whoever waits on a refresh");
        assertTrue(answer.getAccepted());
        assertEquals("TokenIssued", answer.getEventType());
    }

    @Test
    void shouldAnswerARefreshTheProviderDidNotMakeWith502() {
        hub = withToken();

        hub.send("acme", recordFailure("failed-1", "acme", "org-1", 1, false, T0));

        CommandOutcome answer = byKey(hub.outcomes()).get(REFRESH_KEY);
        assertFalse(answer.getAccepted());
        assertEquals(502, answer.getProblem().getStatus(), answer.toString());
        assertEquals("refresh-failed", answer.getProblem().getType());
        assertTrue(answer.getProblem().getDetail().contains("HTTP 503"), "the reason is told: " + answer.getProblem());
    }

    @Test
    void shouldAnswerARefreshTheProviderRefusedWithNeedsReauth() {
        hub = withToken();

        hub.send("acme", recordFailure("failed-1", "acme", "org-1", 1, true, T0));

        CommandOutcome answer = byKey(hub.outcomes()).get(REFRESH_KEY);
        assertFalse(answer.getAccepted());
        assertEquals(409, answer.getProblem().getStatus(), answer.toString());
        assertEquals(Problems.needsReauth("").getType(), answer.getProblem().getType());
        assertEquals(
                TokenDecider.NEEDS_REAUTH,
                hub.<TokenState>store(StoreNames.view(StoreNames.TOKENS))
                        .get(TOKEN)
                        .getStatus());
    }

    @Test
    void shouldNotRefreshATokenAgainWithinTheMinimumInterval() {
        hub = withToken();
        hub.send("acme", recordRefresh("refreshed-1", "acme", "org-1", 1, null, T0));
        hub.outcomes();
        hub.appended();

        hub.advance(Duration.ofSeconds(29));
        hub.send("acme", requestRefresh("req-2", "acme", "org-1", hub.now()));

        assertEquals(List.of(), hub.appended(), "no refresh is requested from the refresher");
        CommandOutcome outcome = single(hub.outcomes(), "req-2");
        assertEquals(Problems.REFRESHED_RECENTLY, outcome.getProblem().getType(), outcome.toString());

        hub.advance(Duration.ofSeconds(2));
        hub.send("acme", requestRefresh("req-3", "acme", "org-1", hub.now()));
        assertEquals(1, hub.appended().size(), "past the minimum interval the refresh is requested");
    }

    @Test
    void shouldTellTheOrgViewCacheOfEveryKeyTheFoldWritesOrDeletes() {
        hub = TopologyFixture.start(REGISTRY);
        long connectionBefore = hub.changes.stamp("acme");
        hub.send("acme", createConnection("c-1", "acme", GrantType.CLIENT_CREDENTIALS, T0));
        assertTrue(hub.changes.stamp("acme") != connectionBefore, "the connection's key after it was created");

        long tokenBefore = hub.changes.stamp(TOKEN);
        long changesBefore = hub.changes.changes();
        hub.send("acme", issueToken("issue-1", "acme", "org-1", T0));
        long tokenIssued = hub.changes.stamp(TOKEN);
        assertTrue(tokenIssued != tokenBefore, "the token's key after it was issued");
        assertTrue(hub.changes.changes() > changesBefore, "the count of all changes");

        // Deleting the connection deletes its tokens by prefix: each deleted key is told too.
        hub.send("acme", deleteConnection("delete-1", "acme", T0));
        assertNull(hub.store(StoreNames.view(StoreNames.TOKENS)).get(TOKEN));
        assertTrue(hub.changes.stamp(TOKEN) != tokenIssued, "the token's key after its connection was deleted");
    }

    /** A client-credentials connection "acme" with org-1's token at version 1; outputs read. */
    @Test
    void shouldRefuseALateRefreshOfADeletedConnectionAndNotBringTheOldGrantBackWhenItIsMadeAgain() {
        hub = TopologyFixture.start(REGISTRY);
        SealedSecret oldRefresh = secret(1);
        hub.send("acme", createConnection("c-1", "acme", GrantType.CLIENT_CREDENTIALS, T0));
        hub.send("acme", withRefreshToken(issueToken("issue-1", "acme", "org-1", T0), oldRefresh));
        // The refresher presents oldRefresh; meanwhile the connection is deleted.
        hub.send("acme", deleteConnection("delete-1", "acme", T0));
        hub.outcomes();

        hub.send("acme", late("late-1", oldRefresh));
        CommandOutcome refused = single(hub.outcomes(), "late-1");
        assertFalse(refused.getAccepted());
        assertEquals(404, refused.getProblem().getStatus(), refused.toString());
        assertNull(hub.store(StoreNames.view(StoreNames.TOKENS)).get(TOKEN), "no token is served");

        // Made again, the org connected again: version 1 again, another grant. The old answer must not win.
        hub.send("acme", createConnection("c-2", "acme", GrantType.CLIENT_CREDENTIALS, T0));
        hub.send("acme", withRefreshToken(issueToken("issue-2", "acme", "org-1", T0), secret(2)));
        hub.outcomes();
        hub.send("acme", late("late-2", oldRefresh));

        CommandOutcome conflict = single(hub.outcomes(), "late-2");
        assertFalse(conflict.getAccepted());
        assertEquals(409, conflict.getProblem().getStatus(), conflict.toString());
        TokenState token =
                hub.<TokenState>store(StoreNames.view(StoreNames.TOKENS)).get(TOKEN);
        assertEquals(1L, token.getVersion());
        assertEquals(secret(2), token.getRefreshToken(), "the new grant's token stays");
    }

    private static RecordTokenRefresh late(String commandId, SealedSecret presented) {
        return RecordTokenRefresh.newBuilder(recordRefresh(commandId, "acme", "org-1", 1, null, T0))
                .setRefreshTokenFingerprint(TokenDecider.fingerprint(presented))
                .build();
    }

    private static IssueToken withRefreshToken(IssueToken issue, SealedSecret refresh) {
        return IssueToken.newBuilder(issue).setRefreshToken(refresh).build();
    }

    private static SealedSecret secret(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return SealedSecret.newBuilder()
                .setKeyId(1L)
                .setCiphertext(ByteBuffer.wrap(bytes))
                .build();
    }

    private static TopologyFixture withToken() {
        TopologyFixture hub = TopologyFixture.start(REGISTRY);
        hub.send("acme", createConnection("c-1", "acme", GrantType.CLIENT_CREDENTIALS, T0));
        hub.send("acme", issueToken("issue-1", "acme", "org-1", T0));
        hub.outcomes();
        hub.appended();
        return hub;
    }

    private static List<String> keys(List<TestRecord<String, CommandOutcome>> outcomes) {
        return outcomes.stream().map(TestRecord::key).toList();
    }

    private static Map<String, CommandOutcome> byKey(List<TestRecord<String, CommandOutcome>> outcomes) {
        return outcomes.stream()
                .collect(Collectors.toMap(
                        TestRecord::key,
                        TestRecord::value,
                        (a, b) -> {
                            throw new AssertionError("two outcomes under one key: " + a + ", " + b);
                        },
                        LinkedHashMap::new));
    }
}
