package com.integrationshub.query.connect;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a hosted connect session lets its bearer do: connect the listed integrations of one org until it expires.
 *
 * @param id           random, names the session in the commands it issues
 * @param orgId        the only org it acts for
 * @param integrations the only integrations it may connect, in the order the page lists them
 * @param returnUrl    where "Done" leads, one of the allow-list's URLs; empty: no such link
 * @param expiresAt    after this instant the session is refused
 */
public record ConnectSession(
        String id, String orgId, List<String> integrations, Optional<String> returnUrl, Instant expiresAt) {

    public ConnectSession {
        integrations = List.copyOf(integrations);
    }

    /** Whether the session lists that integration. */
    public boolean lists(String integration) {
        return integrations.contains(integration);
    }

    /** The subject the session's commands are issued by (issued_by): never an API caller's. */
    public String subject() {
        return "connect-session:" + id;
    }
}
