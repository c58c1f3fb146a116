package com.integrationshub.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The compatibility rules of the Confluent Schema Registry API, checked with Avro's {@link SchemaCompatibility}.
 *
 * <p>Backward: the new schema reads data written with the old one. Forward: the old schema reads data written with
 * the new one. Full: both. Plain levels compare with the latest version only, transitive ones with every version.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    /** A registered version of a subject, as far as compatibility is concerned. */
    record Version(int version, Schema schema) {}

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** Returns the level of the given name (any case), or empty for an unknown name. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns why {@code candidate} may not follow {@code previous} (oldest first) at this level; empty when it may.
     */
    List<String> check(Schema candidate, List<Version> previous) {
        if (this == NONE || previous.isEmpty()) {
            return List.of();
        }
        final List<Version> compared = transitive ? previous : List.of(previous.get(previous.size() - 1));
        final List<String> problems = new ArrayList<>();
        for (Version old : compared) {
            problems.addAll(checkPair(candidate, old));
        }
        return problems;
    }

    /** Returns why {@code candidate} is not compatible with the single version {@code old} in this level's directions. */
    List<String> checkPair(Schema candidate, Version old) {
        final List<String> problems = new ArrayList<>();
        if (backward) {
            describe(
                    SchemaCompatibility.checkReaderWriterCompatibility(candidate, old.schema()),
                    "the new schema cannot read data written with version " + old.version(),
                    problems);
        }
        if (forward) {
            describe(
                    SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), candidate),
                    "version " + old.version() + " cannot read data written with the new schema",
                    problems);
        }
        return problems;
    }

    private void describe(SchemaPairCompatibility pair, String direction, List<String> problems) {
        if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            problems.add(name() + ": " + direction + ": " + incompatibility.getType() + " at "
                    + incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")");
        }
        if (pair.getResult().getIncompatibilities().isEmpty()) {
            problems.add(name() + ": " + direction + ": " + pair.getDescription());
        }
    }
}
