package com.integrationshub.query.problem;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.Problems;
import java.util.List;
import java.util.Map;

/**
 * A request that ends in an RFC 9457 problem: thrown (or signalled) anywhere in request handling and answered as
 * problem+json by {@link ProblemHandlers}, the one place that renders problems.
 */
public final class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> members;

    public ProblemException(
            int status,
            String type,
            String title,
            String detail,
            List<FieldError> errors,
            Map<String, Object> members) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.members = Map.copyOf(members);
    }

    /** A command rejected by a decider: its problem, as decided. */
    public static ProblemException rejected(Problem p) {
        return new ProblemException(p.getStatus(), p.getType(), p.getTitle(), p.getDetail(), p.getErrors(), Map.of());
    }

    /** 400: the body is not JSON. */
    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "malformed-request", "Bad Request", detail, List.of(), Map.of());
    }

    /** 422: fields of the request are invalid; the problem lists at most the first 100 (API.md, Conventions). */
    public static ProblemException invalid(List<FieldError> errors) {
        List<FieldError> listed =
                errors.size() > Problems.MAX_LISTED_ERRORS ? errors.subList(0, Problems.MAX_LISTED_ERRORS) : errors;
        String more = listed.size() < errors.size() ? " (first " + listed.size() + " listed)" : "";
        return new ProblemException(
                422,
                "validation-failed",
                "Unprocessable Content",
                "the request has " + errors.size() + " invalid field(s)" + more,
                listed,
                Map.of());
    }

    /** 413: the body is over its size budget. */
    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "Content Too Large", detail, List.of(), Map.of());
    }

    /** 422: one field of the request is invalid. */
    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** 404: the resource does not exist. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not Found", detail, List.of(), Map.of());
    }

    /** 503: try again later. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "unavailable", "Service Unavailable", detail, List.of(), Map.of());
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The problem type suffix. */
    public String type() {
        return type;
    }

    /** The title. */
    public String title() {
        return title;
    }

    /** The field errors, if any. */
    public List<FieldError> errors() {
        return errors;
    }

    /** Extension members (e.g. authorize_url). */
    public Map<String, Object> members() {
        return members;
    }
}
