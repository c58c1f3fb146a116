package com.integrationshub.testkit.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the stand-in saw: every request path and token call in arrival order, the answers sent in full, the PKCE
 * verifiers and the reused refresh tokens presented. Not thread-safe: the stand-in calls it under its lock.
 */
final class CallLog {

    private final List<String> paths = new ArrayList<>();
    private final List<TokenCall> calls = new ArrayList<>();
    private final Map<String, Integer> callsPerRefreshToken = new HashMap<>();
    private final Map<String, List<Instant>> callTimesPerFamily = new HashMap<>();
    private final List<String> verifiers = new ArrayList<>();
    private final List<String> reused = new ArrayList<>();
    private final List<SentAnswer> sent = new ArrayList<>();

    void path(String path) {
        paths.add(path);
    }

    /** Records a token call answered with a redirect: it counts as a call, not as a use of its refresh token. */
    void redirected(TokenCall call) {
        calls.add(call);
    }

    /** Records an answered token call; {@code familyKnown} says whether it counts in its family's call times. */
    void answered(TokenCall call, boolean familyKnown) {
        calls.add(call);
        if (call.refreshToken() != null) callsPerRefreshToken.merge(call.refreshToken(), 1, Integer::sum);
        if (familyKnown)
            callTimesPerFamily
                    .computeIfAbsent(call.family(), f -> new ArrayList<>())
                    .add(call.at());
    }

    private int lateAnswersSent;

    /** Records that a late answer ({@link Fault#lateAnswer}) was sent (its call was recorded when decided). */
    void lateAnswerSent() {
        lateAnswersSent++;
    }

    int lateAnswersSent() {
        return lateAnswersSent;
    }

    void sent(SentAnswer answer) {
        sent.add(answer);
    }

    void verifier(String verifier) {
        verifiers.add(verifier);
    }

    void reusedRefreshToken(String refreshToken) {
        reused.add(refreshToken);
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    List<TokenCall> calls() {
        return List.copyOf(calls);
    }

    int tokenCalls() {
        return calls.size();
    }

    int tokenCalls(String grantType) {
        return (int) calls.stream()
                .filter(c -> Objects.equals(grantType, c.grantType()))
                .count();
    }

    int callsWithRefreshToken(String refreshToken) {
        return callsPerRefreshToken.getOrDefault(refreshToken, 0);
    }

    List<Instant> callTimes(String family) {
        return List.copyOf(callTimesPerFamily.getOrDefault(family, List.of()));
    }

    List<String> verifiers() {
        return List.copyOf(verifiers);
    }

    List<String> reusedRefreshTokens() {
        return List.copyOf(reused);
    }

    List<SentAnswer> sent() {
        return List.copyOf(sent);
    }
}
