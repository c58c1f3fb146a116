package com.integrationshub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {

    private static final Schema V1 = ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"}]");
    private static final Schema WITH_DEFAULT = ProbeRecord.schema(
            "[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]");
    private static final Schema WITHOUT_DEFAULT =
            ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"}]");
    private static final Schema RENAMED_TYPE = ProbeRecord.schema("[{\"name\":\"id\",\"type\":\"long\"}]");

    private static List<CompatibilityLevel.Version> history(Schema... schemas) {
        final List<CompatibilityLevel.Version> versions = new java.util.ArrayList<>();
        for (int i = 0; i < schemas.length; i++) {
            versions.add(new CompatibilityLevel.Version(i + 1, schemas[i]));
        }
        return versions;
    }

    @Test
    void shouldAcceptNewFieldWithDefaultUnderBackward() {
        assertEquals(List.of(), CompatibilityLevel.BACKWARD.check(WITH_DEFAULT, history(V1)));
    }

    @Test
    void shouldRefuseNewFieldWithoutDefaultUnderBackwardAndSayWhichField() {
        final List<String> problems = CompatibilityLevel.BACKWARD.check(WITHOUT_DEFAULT, history(V1));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(
                problems.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                        && problems.get(0).contains("note")
                        && problems.get(0).contains("version 1"),
                problems.get(0));
    }

    @Test
    void shouldAcceptNewFieldWithoutDefaultUnderForwardButNotRemovalOfFieldWithoutDefault() {
        assertEquals(List.of(), CompatibilityLevel.FORWARD.check(WITHOUT_DEFAULT, history(V1)));
        assertEquals(
                1,
                CompatibilityLevel.FORWARD.check(V1, history(WITHOUT_DEFAULT)).size());
        assertEquals(List.of(), CompatibilityLevel.FORWARD.check(V1, history(WITH_DEFAULT)));
    }

    @Test
    void shouldRequireBothDirectionsUnderFull() {
        assertEquals(List.of(), CompatibilityLevel.FULL.check(WITH_DEFAULT, history(V1)));
        assertEquals(
                1, CompatibilityLevel.FULL.check(WITHOUT_DEFAULT, history(V1)).size());
        assertEquals(
                1, CompatibilityLevel.FULL.check(V1, history(WITHOUT_DEFAULT)).size());
    }

    @Test
    void shouldCompareWithLatestOnlyUnlessTransitive() {
        // v3 adds no field to v2 (which gave "note" a default) but drops the default: v3 reads v2 data, not v1 data.
        final List<CompatibilityLevel.Version> history = history(V1, WITH_DEFAULT);
        assertEquals(List.of(), CompatibilityLevel.BACKWARD.check(WITHOUT_DEFAULT, history));
        assertEquals(
                1,
                CompatibilityLevel.BACKWARD_TRANSITIVE
                        .check(WITHOUT_DEFAULT, history)
                        .size());
        assertEquals(List.of(), CompatibilityLevel.FORWARD.check(V1, history(WITHOUT_DEFAULT, WITH_DEFAULT)));
        assertEquals(
                1,
                CompatibilityLevel.FORWARD_TRANSITIVE
                        .check(V1, history(WITHOUT_DEFAULT, WITH_DEFAULT))
                        .size());
        assertEquals(
                1,
                CompatibilityLevel.FULL_TRANSITIVE
                        .check(WITHOUT_DEFAULT, history)
                        .size());
    }

    @Test
    void shouldAcceptAnythingUnderNone() {
        assertEquals(List.of(), CompatibilityLevel.NONE.check(RENAMED_TYPE, history(V1, WITHOUT_DEFAULT)));
    }

    @Test
    void shouldParseLevelNamesInAnyCaseAndRefuseOthers() {
        assertEquals(
                CompatibilityLevel.FULL_TRANSITIVE,
                CompatibilityLevel.parse("full_transitive").orElseThrow());
        assertTrue(CompatibilityLevel.parse("SIDEWAYS").isEmpty());
        assertTrue(CompatibilityLevel.parse(null).isEmpty());
    }
}
