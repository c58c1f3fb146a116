package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"HaloPSA", "org-123", "a.b_c-D9", "x", "...", ".x"})
    void shouldAcceptNamesOfAllowedCharacters(String name) {
        assertTrue(Names.valid(name), () -> "'" + name + "' should be valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "a/b", "ü", "semi;colon", ".", ".."})
    void shouldRejectNamesWithOtherCharacters(String name) {
        assertFalse(Names.valid(name), () -> "'" + name + "' should be invalid");
    }

    @Test
    void shouldBoundNamesAt128Characters() {
        assertTrue(Names.valid("n".repeat(128)), "128 characters");
        assertFalse(Names.valid("n".repeat(129)), "129 characters");
        assertFalse(Names.valid(null), "null");
    }

    @Test
    void shouldBuildAggregateIdsAndStoreKeys() {
        assertEquals("integration/HaloPSA", Names.integrationAggregate("HaloPSA"), "integration aggregate");
        assertEquals(
                "integration/HaloPSA/mapping/org-1", Names.mappingAggregate("HaloPSA", "org-1"), "mapping aggregate");
        assertEquals("HaloPSA/org-1", Names.mappingKey("HaloPSA", "org-1"), "mapping key");
        assertTrue(
                Names.mappingKey("HaloPSA", "org-1").startsWith(Names.mappingPrefix("HaloPSA")),
                "a mapping key starts with its integration's prefix");
    }
}
