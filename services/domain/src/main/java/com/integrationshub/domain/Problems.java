package com.integrationshub.domain;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import java.util.List;

/** The problems a decider rejects a command with; `type` is the suffix of the problem type URI. */
public final class Problems {

    public static final String NOT_FOUND = "not-found";
    public static final String CONFLICT = "conflict";
    public static final String STALE_VERSION = "stale-version";
    public static final String INVALID = "validation-failed";
    public static final String TOO_LARGE = "payload-too-large";
    public static final String INTERNAL = "internal";
    /** The most field errors one problem lists, so a huge bad request cannot make a huge answer. */
    public static final int MAX_LISTED_ERRORS = 100;

    private Problems() {}

    /** 404: the named resource does not exist. */
    public static Problem notFound(String kind, String name) {
        return problem(NOT_FOUND, "Not Found", 404, kind + " '" + name + "' does not exist", List.of());
    }

    /** 409: the resource already exists or the change conflicts with its state. */
    public static Problem conflict(String detail) {
        return problem(CONFLICT, "Conflict", 409, detail, List.of());
    }

    /** 412: the caller's If-Match version is not the current one. */
    public static Problem staleVersion(long expected, Long current) {
        String now = current == null ? "the resource does not exist" : "the current version is " + current;
        return problem(
                STALE_VERSION,
                "Precondition Failed",
                412,
                "If-Match expected version " + expected + " but " + now,
                List.of());
    }

    /** 422: the listed fields are invalid. */
    public static Problem invalid(String detail, List<FieldError> errors) {
        List<FieldError> listed = errors.size() > MAX_LISTED_ERRORS ? errors.subList(0, MAX_LISTED_ERRORS) : errors;
        String more =
                listed.size() < errors.size() ? " (first " + listed.size() + " of " + errors.size() + " listed)" : "";
        return problem(INVALID, "Unprocessable Content", 422, detail + more, listed);
    }

    /** 413: the command would make a record over the record budget ({@link RecordBudget}). */
    public static Problem tooLarge(String detail) {
        return problem(TOO_LARGE, "Content Too Large", 413, detail, List.of());
    }

    /** 500: the command could not be decided (a fault of the service, not of the request); nothing was applied. */
    public static Problem internal(String detail) {
        return problem(INTERNAL, "Internal Server Error", 500, detail, List.of());
    }

    /** 400: an OAuth state that is unknown, used or expired. */
    public static Problem invalidState(String detail) {
        return problem("invalid-state", "Bad Request", 400, detail, List.of());
    }

    /** 409: the token was refused by its provider; a person must connect again. */
    public static Problem needsReauth(String detail) {
        return problem("needs-reauth", "Conflict", 409, detail, List.of());
    }

    /** 409: there are no credentials to use yet. */
    public static Problem notAuthorized(String detail) {
        return problem("not-authorized", "Conflict", 409, detail, List.of());
    }

    /** The type of {@link #refreshedRecently}. */
    public static final String REFRESHED_RECENTLY = "refreshed-recently";

    /**
     * Not an error for the caller: the token was refreshed moments ago, so it is not refreshed again. A refresh
     * request answered with this is served the current token (200), and appends nothing.
     */
    public static Problem refreshedRecently(java.time.Instant refreshedAt) {
        return problem(
                REFRESHED_RECENTLY,
                "Refreshed Recently",
                409,
                "the token was refreshed at " + refreshedAt + "; it is not refreshed again so soon",
                List.of());
    }

    /** A field error. */
    public static FieldError fieldError(String field, String message) {
        return new FieldError(field, message);
    }

    private static Problem problem(String type, String title, int status, String detail, List<FieldError> errors) {
        return Problem.newBuilder()
                .setType(type)
                .setTitle(title)
                .setStatus(status)
                .setDetail(detail)
                .setErrors(List.copyOf(errors))
                .build();
    }
}
