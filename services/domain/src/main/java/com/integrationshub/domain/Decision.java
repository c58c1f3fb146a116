package com.integrationshub.domain;

import com.integrationshub.common.Problem;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** What a decider made of a command: the events to append, or the problem that rejects it. */
public record Decision(List<SpecificRecord> events, Optional<Problem> rejection) {

    public Decision {
        events = List.copyOf(events);
        if (rejection.isPresent() && !events.isEmpty()) {
            throw new IllegalArgumentException("a rejected command yields no events");
        }
    }

    /** An accepted command yielding these events. */
    public static Decision accept(SpecificRecord... events) {
        return new Decision(List.of(events), Optional.empty());
    }

    /** A rejected command; nothing is appended. */
    public static Decision reject(Problem problem) {
        return new Decision(List.of(), Optional.of(problem));
    }

    /** Whether the command was accepted. */
    public boolean accepted() {
        return rejection.isEmpty();
    }
}
