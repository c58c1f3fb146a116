package com.integrationshub.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * 503: the hub could not answer now (a store is restoring, or a write's decision did not arrive in time). Retry
 * after {@link #retryAfter()}; retry a write with the same {@link #idempotencyKey()} so it applies at most once.
 */
public class ServiceUnavailableException extends IntegrationsHubException {

    private final transient Optional<Duration> retryAfter;
    private final transient Optional<String> idempotencyKey;

    public ServiceUnavailableException(
            Problem problem, Optional<Duration> retryAfter, Optional<String> idempotencyKey) {
        super(problem);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** Returns how long to wait before retrying, from the {@code Retry-After} header; empty without one. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** Returns the idempotency key the failed write was sent with; empty for reads. */
    public Optional<String> idempotencyKey() {
        return idempotencyKey;
    }
}
