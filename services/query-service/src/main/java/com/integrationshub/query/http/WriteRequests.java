package com.integrationshub.query.http;

import com.integrationshub.domain.Names;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.security.Caller;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import java.util.UUID;

/** What every write request carries besides its body: who sends it, its command id, its If-Match. */
public final class WriteRequests {

    /** A client may name its command so a retry after a timeout is not applied twice. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final long UNMATCHABLE = -1;

    private WriteRequests() {
    }

    /** The command id: the Idempotency-Key header, or a new one. */
    public static String commandId(HttpRequest<?> request) {
        return request.getHeaders().get(IDEMPOTENCY_KEY, String.class).map(key -> {
            if (!Names.valid(key)) throw ProblemException.invalid(IDEMPOTENCY_KEY, "must match [A-Za-z0-9_.-]{1,128}");
            return key;
        }).orElseGet(() -> UUID.randomUUID().toString());
    }

    /** The JWT subject of the caller. */
    public static String issuedBy(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class).map(Caller::subject).orElse("unknown");
    }

    /** The version If-Match names, null without If-Match; a tag that is no version never matches (412). */
    public static Long expectedVersion(HttpRequest<?> request) {
        return request.getHeaders().get(HttpHeaders.IF_MATCH, String.class)
                .map(String::trim)
                .filter(tag -> !tag.equals("*"))
                .map(WriteRequests::version)
                .orElse(null);
    }

    private static long version(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return UNMATCHABLE;
        }
    }

    /** Checks a path name; a bad one is a 422 naming the path parameter. */
    public static String name(String parameter, String value) {
        if (!Names.valid(value)) throw ProblemException.invalid(parameter, "must match [A-Za-z0-9_.-]{1,128}");
        return value;
    }
}
