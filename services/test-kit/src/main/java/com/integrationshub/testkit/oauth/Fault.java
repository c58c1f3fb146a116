package com.integrationshub.testkit.oauth;

import java.time.Duration;
import java.util.Objects;

/**
 * What the stand-in does to one token call instead of (or before) answering it normally: wait, then answer
 * normally ({@code status == 0}), with an RFC 6749 §5.2 error, or with a redirect (3xx and a {@code Location}). A
 * faulted call changes no state, so a refresh token used in a call that answered 500 stays valid.
 *
 * @param status   the HTTP status to answer with, or 0 to answer normally
 * @param error    the {@code error} code of the answer (ignored when status is 0 or a redirect)
 * @param delay    how long to wait before answering
 * @param location where a redirect points (only with a 3xx status)
 * @param late     whether the call is decided (a refresh token exchanged) before the wait, so the answer comes late
 *                 instead of the call: a client that stops waiting loses the new tokens (normal answers only)
 */
public record Fault(int status, String error, Duration delay, String location, boolean late) {

    public Fault {
        Objects.requireNonNull(delay, "delay");
        if (status >= 300 && status < 400) {
            Objects.requireNonNull(location, "location");
        } else if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException(
                    "a fault answers with a 3xx, 4xx or 5xx status, or 0 for a normal answer");
        } else if (status != 0) {
            Objects.requireNonNull(error, "error");
        }
        if (late && status != 0) throw new IllegalArgumentException("only a normal answer comes late");
    }

    /** A fault decided after its wait (see {@link #late}: false). */
    public Fault(int status, String error, Duration delay, String location) {
        this(status, error, delay, location, false);
    }

    /** A fault answering {@code status} with {@code error}, after {@code delay}. */
    public Fault(int status, String error, Duration delay) {
        this(status, error, delay, null);
    }

    /** A redirect ({@code status} 301, 302, 303, 307 or 308) to {@code location}, e.g. another host's token URL. */
    public static Fault redirect(int status, String location) {
        return new Fault(status, null, Duration.ZERO, location);
    }

    /** Whether the call is answered with a redirect. */
    public boolean redirects() {
        return status >= 300 && status < 400;
    }

    /** A 500 with {@code server_error}. */
    public static Fault serverError() {
        return new Fault(500, "server_error", Duration.ZERO);
    }

    /** A 400 with {@code invalid_grant}: the refresh token or code is refused. */
    public static Fault invalidGrant() {
        return new Fault(400, "invalid_grant", Duration.ZERO);
    }

    /** Any error answer. */
    public static Fault error(int status, String error) {
        return new Fault(status, error, Duration.ZERO);
    }

    /** A normal answer, sent after {@code delay}. */
    public static Fault slow(Duration delay) {
        return new Fault(0, null, delay);
    }

    /** This fault, answered after {@code delay}. */
    public Fault after(Duration delay) {
        return new Fault(status, error, delay, location, late);
    }

    /**
     * A normal answer decided at once (a refresh token exchanged, the new pair issued) and sent after {@code delay}: a
     * provider that answers after the client's timeout.
     */
    public static Fault lateAnswer(Duration delay) {
        return new Fault(0, null, delay, null, true);
    }

    /** Whether the call is answered normally (only slowed down). */
    public boolean answersNormally() {
        return status == 0;
    }
}
