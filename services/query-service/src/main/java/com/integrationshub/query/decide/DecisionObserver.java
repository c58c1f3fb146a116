package com.integrationshub.query.decide;

import java.time.Duration;

/**
 * Told of every command the command processor answers, so the service can count decisions without the processor
 * knowing any metrics library. Called on the stream thread: an implementation must be quick and never throw.
 */
public interface DecisionObserver {

    /** Observes nothing (the topology tests). */
    DecisionObserver NONE = new DecisionObserver() {
        @Override
        public void accepted(String commandType, Duration sinceIssued) {}

        @Override
        public void rejected(String commandType, String reason, Duration sinceIssued) {}

        @Override
        public void repeated(String commandType) {}
    };

    /** A command was accepted; {@code sinceIssued} runs from its issued_at to the decision. */
    void accepted(String commandType, Duration sinceIssued);

    /** A command was rejected; {@code reason} is the last segment of its problem type, e.g. {@code conflict}. */
    void rejected(String commandType, String reason, Duration sinceIssued);

    /** A command id already decided came again and was answered with its first outcome. */
    void repeated(String commandType);
}
