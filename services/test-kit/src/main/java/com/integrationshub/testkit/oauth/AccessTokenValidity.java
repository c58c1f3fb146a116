package com.integrationshub.testkit.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When the access tokens of one token family were valid: one window per access token, from its issue until it expired
 * or was revoked. The gaps between windows are the times the family's holder had no valid token at all.
 *
 * @param family    the family id
 * @param windows   one per access token, in issue order
 * @param revokedAt when the family was revoked (reuse of a refresh token, a replayed code), or null
 */
public record AccessTokenValidity(String family, List<Window> windows, Instant revokedAt) {

    /**
     * One access token's validity.
     *
     * @param accessToken the token
     * @param from        when it was issued
     * @param until       when it expired or was revoked, or null when it does not expire and is not revoked
     */
    public record Window(String accessToken, Instant from, Instant until) {}

    public AccessTokenValidity {
        windows = List.copyOf(windows);
    }

    /**
     * The longest time within [{@code from}, {@code until}] in which no access token of the family was valid; zero
     * when the windows cover it. Time before the family's first token counts as a gap when {@code from} precedes it.
     */
    public Duration longestGap(Instant from, Instant until) {
        final List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(Window::from));
        Duration longest = Duration.ZERO;
        Instant coveredUntil = from;
        for (Window w : sorted) {
            if (!coveredUntil.isBefore(until)) break;
            if (w.from().isAfter(coveredUntil)) {
                longest = max(longest, Duration.between(coveredUntil, min(w.from(), until)));
            }
            if (w.until() == null) return longest;
            if (w.until().isAfter(coveredUntil)) coveredUntil = w.until();
        }
        if (coveredUntil.isBefore(until)) longest = max(longest, Duration.between(coveredUntil, until));
        return longest;
    }

    /** When the newest valid window ends: the time the family's holder runs out of valid tokens, or null (never). */
    public Instant coveredUntil() {
        Instant last = Instant.MIN;
        for (Window w : windows) {
            if (w.until() == null) return null;
            if (w.until().isAfter(last)) last = w.until();
        }
        return last;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
