package com.integrationshub.testkit.oauth;

import com.integrationshub.testkit.oauth.StandInServer.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** The authorization endpoint over HTTP: GET with the query, answered with a redirect (302) or a refusal (400). */
final class AuthorizeEndpoint {

    private final Object lock;
    private final Clock clock;
    private final GrantRules rules;

    AuthorizeEndpoint(Object lock, Clock clock, GrantRules rules) {
        this.lock = lock;
        this.clock = clock;
        this.rules = rules;
    }

    Reply answer(String method, String rawQuery) {
        if (!"GET".equals(method)) {
            return new Reply(405, "text/plain", "use GET".getBytes(StandardCharsets.UTF_8), Map.of("Allow", "GET"));
        }
        final Map<String, String> query;
        try {
            query = FormEncoding.parse(rawQuery);
        } catch (IllegalArgumentException e) {
            return Reply.text(400, e.getMessage());
        }
        final AuthorizeAnswer answer;
        synchronized (lock) {
            answer = rules.authorize(query, clock.instant());
        }
        if (answer instanceof AuthorizeAnswer.Redirect redirect) {
            return new Reply(302, "text/plain", new byte[0], Map.of("Location", redirect.url()));
        }
        return Reply.text(400, ((AuthorizeAnswer.Refusal) answer).why());
    }
}
