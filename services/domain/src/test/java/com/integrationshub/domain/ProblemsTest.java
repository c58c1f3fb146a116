package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.FieldError;
import com.integrationshub.common.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void shouldAnswerNotFoundWith404NamingTheResource() {
        Problem problem = Problems.notFound("integration", "HaloPSA");

        assertEquals(404, problem.getStatus(), "status");
        assertEquals("not-found", problem.getType(), "type");
        assertEquals("integration 'HaloPSA' does not exist", problem.getDetail(), "detail");
        assertEquals(List.of(), problem.getErrors(), "errors");
    }

    @Test
    void shouldAnswerConflictWith409() {
        Problem problem = Problems.conflict("integration 'HaloPSA' already exists");

        assertEquals(409, problem.getStatus(), "status");
        assertEquals("conflict", problem.getType(), "type");
    }

    @Test
    void shouldAnswerStaleVersionWith412GivingBothVersions() {
        Problem problem = Problems.staleVersion(3, 5L);

        assertEquals(412, problem.getStatus(), "status");
        assertEquals("stale-version", problem.getType(), "type");
        assertEquals("If-Match expected version 3 but the current version is 5", problem.getDetail(), "detail");
    }

    @Test
    void shouldSayTheResourceDoesNotExistWhenStaleAgainstNothing() {
        Problem problem = Problems.staleVersion(1, null);

        assertTrue(
                problem.getDetail().endsWith("the resource does not exist"),
                () -> "detail should say the resource does not exist but was '" + problem.getDetail() + "'");
    }

    @Test
    void shouldAnswerInvalidWith422ListingTheFields() {
        List<FieldError> errors = List.of(Problems.fieldError("config.timeout", "must be of type int, got a string"));

        Problem problem = Problems.invalid("config does not match the config schema", errors);

        assertEquals(422, problem.getStatus(), "status");
        assertEquals("validation-failed", problem.getType(), "type");
        assertEquals(errors, problem.getErrors(), "errors");
    }
}
