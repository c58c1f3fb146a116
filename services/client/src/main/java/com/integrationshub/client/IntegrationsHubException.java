package com.integrationshub.client;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The hub answered a request with a problem (RFC 9457). Subclasses name the statuses a caller usually handles;
 * any other status (400, 413, 500, ...) is this class itself.
 */
public class IntegrationsHubException extends RuntimeException {

    private final transient Problem problem;

    public IntegrationsHubException(Problem problem) {
        super(describe(problem));
        this.problem = problem;
    }

    /** Returns the whole problem as answered. */
    public Problem problem() {
        return problem;
    }

    /** Returns the HTTP status. */
    public int status() {
        return problem.status();
    }

    /** Returns the problem type URI, e.g. {@code https://integrations-hub.dev/problems/not-found}. */
    public String type() {
        return problem.type();
    }

    /** Returns the problem's title. */
    public String title() {
        return problem.title();
    }

    /** Returns the problem's detail, empty when it has none. */
    public Optional<String> detail() {
        return problem.detailText();
    }

    /** Returns the invalid fields the problem lists; empty unless it is a validation problem. */
    public List<FieldError> errors() {
        return problem.errors();
    }

    private static String describe(Problem p) {
        StringBuilder text = new StringBuilder().append(p.status()).append(' ').append(p.title());
        p.detailText().ifPresent(d -> text.append(": ").append(d));
        if (!p.errors().isEmpty()) {
            text.append(p.errors().stream()
                    .map(e -> e.field() + " " + e.message())
                    .collect(Collectors.joining("; ", " [", "]")));
        }
        return text.append(" (").append(p.type()).append(')').toString();
    }
}
