package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import java.util.List;

/** Assertions on decisions whose failures say what was expected and what came instead. */
public final class DecisionAssert {

    private DecisionAssert() {}

    /** The single event of an accepted decision, checked to be of that type. */
    public static <T> T acceptedEvent(Decision decision, Class<T> type) {
        assertTrue(
                decision.accepted(),
                () -> "expected the command to be accepted with a " + type.getSimpleName()
                        + " but it was rejected with " + decision.rejection().orElseThrow());
        assertEquals(1, decision.events().size(), () -> "expected exactly one event but got " + decision.events());
        return assertInstanceOf(
                type,
                decision.events().get(0),
                () -> "expected a " + type.getSimpleName() + " but got "
                        + decision.events().get(0));
    }

    /** The problem of a rejected decision, checked to have that status and type suffix. */
    public static Problem rejected(Decision decision, int status, String type) {
        assertTrue(
                decision.rejection().isPresent(),
                () -> "expected a rejection with " + status + " " + type + " but the command was accepted with "
                        + decision.events());
        assertTrue(
                decision.events().isEmpty(), () -> "expected no events with a rejection but got " + decision.events());
        Problem problem = decision.rejection().orElseThrow();
        assertEquals(status, problem.getStatus(), () -> "status of " + problem);
        assertEquals(type, problem.getType(), () -> "type of " + problem);
        return problem;
    }

    /** The 422 problem of a rejected decision. */
    public static Problem invalid(Decision decision) {
        return rejected(decision, 422, Problems.INVALID);
    }

    /** The field paths a problem lists, in order. */
    public static List<String> fieldsOf(Problem problem) {
        return problem.getErrors().stream().map(FieldError::getField).toList();
    }

    /** The message the problem gives for that field path; fails if the field is not listed exactly once. */
    public static String messageFor(Problem problem, String field) {
        List<FieldError> matching = problem.getErrors().stream()
                .filter(e -> e.getField().equals(field))
                .toList();
        assertEquals(
                1,
                matching.size(),
                () -> "expected exactly one error on " + field + " but the errors were " + problem.getErrors());
        return matching.get(0).getMessage();
    }
}
