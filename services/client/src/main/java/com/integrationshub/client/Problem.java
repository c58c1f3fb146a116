package com.integrationshub.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An RFC 9457 problem as the hub answered it ({@code application/problem+json}).
 *
 * @param status     the HTTP status
 * @param type       the problem type URI, e.g. {@code https://integrations-hub.dev/problems/not-found};
 *                   {@code about:blank} when the answer named none
 * @param title      the short summary of the type
 * @param detail     what happened this time, or null
 * @param errors     the invalid fields of a validation problem, else empty
 * @param extensions every other member of the problem (e.g. {@code authorize_url}), as JSON values
 */
public record Problem(
        int status, String type, String title, String detail, List<FieldError> errors, Map<String, Object> extensions) {

    /** Where the hub's problem types live: each type is this base plus its name. */
    public static final String TYPE_BASE = "https://integrations-hub.dev/problems/";
    /** The type of a problem that names none (RFC 9457). */
    public static final String ABOUT_BLANK = "about:blank";

    public Problem {
        type = type == null || type.isBlank() ? ABOUT_BLANK : type;
        title = title == null ? "" : title;
        errors = errors == null ? List.of() : List.copyOf(errors);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    /** Returns the name of a hub problem type (e.g. {@code stale-version}), or the whole type for any other. */
    public String typeName() {
        return type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type;
    }

    /** Returns the detail, empty when the problem has none. */
    public Optional<String> detailText() {
        return Optional.ofNullable(detail);
    }
}
