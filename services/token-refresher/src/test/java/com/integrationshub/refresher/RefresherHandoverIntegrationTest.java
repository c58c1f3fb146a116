package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.refresher.support.Await;
import com.integrationshub.refresher.support.RefresherInstance;
import com.integrationshub.refresher.support.Scenario;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefresherHandoverIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private Scenario s;

    @AfterEach
    void stop() {
        if (s != null) s.close();
    }

    @Test
    void shouldNeverUseARefreshTokenTwiceWhileTwoInstancesShareTheTokens() {
        s = Scenario.start(6, Map.of());
        s.provider.setExpiresIn(Duration.ofSeconds(4));
        List<String> tokens = issueTokens(10, 20);

        RefresherInstance a = s.startRefresher();
        awaitRefreshes(tokens, 1);
        RefresherInstance b = s.startRefresher();
        Await.until(
                WAIT,
                () -> b.stats().livePartitions() > 0 && a.stats().livePartitions() < 6,
                "the second instance to take partitions over",
                () -> a.stats() + " / " + b.stats());
        awaitRefreshes(tokens, fewestRefreshes(tokens) + 2);
        a.close();
        Await.until(
                WAIT, () -> b.stats().livePartitions() == 6, "the second instance to own every partition", b::stats);
        awaitRefreshes(tokens, fewestRefreshes(tokens) + 2);

        assertEquals(List.of(), s.provider.reusedRefreshTokens(), "no refresh token was used twice");
        assertEquals(List.of(), s.hub.rejected(), "no command was made from a stale version");
        assertNoVersionRefreshedTwice();
        List<TokenCall> failed =
                s.provider.calls().stream().filter(c -> !c.succeeded()).toList();
        assertEquals(List.of(), failed, "every provider call succeeded");
    }

    @Test
    void shouldRebuildTheScheduleFromTheLogAfterARestartAndRefreshEveryToken() {
        s = Scenario.start();
        s.provider.setExpiresIn(Duration.ofSeconds(2));
        List<String> before = issueTokens(1, 10);
        RefresherInstance first = s.startRefresher();
        awaitRefreshes(before, 1);
        first.close();

        List<String> tokens = new ArrayList<>(before);
        Instant latestExpiry = Instant.now();
        for (int i = 0; i < 10; i++) {
            MintedGrant grant = s.provider.mint(Scenario.CLIENT, "read");
            tokens.add(s.hub.issue("conn-0", "late-org-" + i, null, grant));
            latestExpiry = grant.expiresAt();
        }
        Map<String, Long> versions = tokens.stream().collect(Collectors.toMap(Function.identity(), s.hub::version));
        Instant expired = latestExpiry;
        Await.until(WAIT, () -> Instant.now().isAfter(expired), "every token to expire while no refresher runs");

        s.startRefresher();

        Await.until(
                WAIT,
                () -> tokens.stream()
                        .allMatch(t -> s.hub.commands(RecordTokenRefresh.class, t).stream()
                                .anyMatch(c -> c.getExpectedVersion() == versions.get(t))),
                "a refresh of every token from its version in the log",
                s.hub::summary);
        assertEquals(List.of(), s.provider.reusedRefreshTokens(), "the rebuilt schedule used the rotated tokens");
        assertEquals(List.of(), s.hub.rejected());
    }

    private List<String> issueTokens(int connections, int perConnection) {
        List<String> tokens = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            String connection = "conn-" + c;
            s.hub.createConnection(s.connection(connection));
            for (int o = 0; o < perConnection; o++) {
                tokens.add(s.hub.issue(connection, "org-" + o, null, s.provider.mint(Scenario.CLIENT, "read")));
            }
        }
        return tokens;
    }

    private Map<String, Long> refreshCounts() {
        return s.hub.commands(RecordTokenRefresh.class).stream()
                .collect(Collectors.groupingBy(RecordTokenRefresh::getTokenId, Collectors.counting()));
    }

    private long fewestRefreshes(List<String> tokens) {
        Map<String, Long> counts = refreshCounts();
        return tokens.stream().mapToLong(t -> counts.getOrDefault(t, 0L)).min().orElse(0);
    }

    private void awaitRefreshes(List<String> tokens, long atLeast) {
        Await.until(
                WAIT,
                () -> fewestRefreshes(tokens) >= atLeast,
                "every token refreshed " + atLeast + " times",
                () -> "fewest " + fewestRefreshes(tokens) + "; " + s.hub.summary());
    }

    private void assertNoVersionRefreshedTwice() {
        Map<String, Long> seen = new HashMap<>();
        for (RecordTokenRefresh c : s.hub.commands(RecordTokenRefresh.class)) {
            String key = c.getTokenId() + "@" + c.getExpectedVersion();
            seen.merge(key + "#" + c.getCommandId(), 1L, Long::sum);
        }
        Map<String, Long> commandsPerVersion = seen.keySet().stream()
                .collect(Collectors.groupingBy(k -> k.substring(0, k.indexOf('#')), Collectors.counting()));
        List<String> twice = commandsPerVersion.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(twice.isEmpty(), "versions refreshed by two different commands: " + twice);
    }
}
