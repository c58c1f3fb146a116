package com.integrationshub.testkit.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.testkit.oauth.StandInServer.Reply;
import com.integrationshub.testkit.oauth.StandInServer.TokenRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The token endpoint over HTTP (RFC 6749 §3.2): a form POST, answered with JSON and {@code no-store}. Each call takes
 * the next fault if one is set, else is decided by the grant rules, and is recorded in the call log. A faulted call
 * changes no token state.
 */
final class TokenEndpoint {

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String REALM = "Basic realm=\"oauth-stand-in\"";

    private final Object lock;
    private final Clock clock;
    private final GrantRules rules;
    private final Faults faults;
    private final CallLog log;
    private final ObjectMapper json = new ObjectMapper();

    TokenEndpoint(Object lock, Clock clock, GrantRules rules, Faults faults, CallLog log) {
        this.lock = lock;
        this.clock = clock;
        this.rules = rules;
        this.faults = faults;
        this.log = log;
    }

    Reply answer(TokenRequest request) {
        final Instant arrived = clock.instant();
        TokenAnswer answer = null;
        Map<String, String> form = Map.of();
        if (!"POST".equals(request.method())) {
            answer = TokenAnswer.error(405, "invalid_request", "use POST", null);
        } else if (!contentTypeIsForm(request.contentType())) {
            answer = TokenAnswer.error(400, "invalid_request", "the body must be " + FORM, null);
        } else {
            try {
                form = FormEncoding.parse(request.body());
            } catch (IllegalArgumentException e) {
                answer = TokenAnswer.error(400, "invalid_request", e.getMessage(), null);
            }
        }
        final String grant = form.get("grant_type");
        final String refresh = OAuthProviderStandIn.REFRESH_TOKEN.equals(grant) ? form.get("refresh_token") : null;
        final String authorization = request.authorization();
        Fault fault = null;
        String family = null;
        if (answer == null) {
            synchronized (lock) {
                family = refresh == null ? null : rules.families().familyOfRefreshToken(refresh);
                fault = faults.next(family);
            }
        }
        if (fault != null && !fault.late() && !fault.delay().isZero()) pause(fault.delay());
        if (answer == null && fault != null && fault.redirects()) {
            synchronized (lock) {
                log.redirected(new TokenCall(
                        arrived,
                        request.path(),
                        grant,
                        ClientAuthentication.claimedClient(form, authorization),
                        refresh,
                        family,
                        fault.status(),
                        null));
            }
            return new Reply(fault.status(), "text/plain", new byte[0], Map.of("Location", fault.location()));
        }
        if (answer == null && fault != null && !fault.answersNormally()) {
            answer = TokenAnswer.error(fault.status(), fault.error(), "injected fault", family);
        }
        final TokenCall call;
        synchronized (lock) {
            if (answer == null) answer = rules.token(clock.instant(), form, authorization);
            final String clientId = answer.clientId() != null
                    ? answer.clientId()
                    : ClientAuthentication.claimedClient(form, authorization);
            final String callFamily = answer.family() != null ? answer.family() : family;
            call = new TokenCall(
                    arrived, request.path(), grant, clientId, refresh, callFamily, answer.status(), answer.error());
            log.answered(call, callFamily != null && rules.families().exists(callFamily));
            if (answer.presentedVerifier() != null) log.verifier(answer.presentedVerifier());
            if (answer.reusedRefreshToken() != null) log.reusedRefreshToken(answer.reusedRefreshToken());
        }
        if (fault != null && fault.late()) {
            pause(fault.delay());
            synchronized (lock) {
                log.lateAnswerSent();
            }
        }
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        if (answer.status() == 401) headers.put("WWW-Authenticate", REALM);
        return new Reply(answer.status(), "application/json;charset=UTF-8", json(answer.body()), headers, call);
    }

    private static boolean contentTypeIsForm(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    private byte[] json(Map<String, Object> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a token answer", e);
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
