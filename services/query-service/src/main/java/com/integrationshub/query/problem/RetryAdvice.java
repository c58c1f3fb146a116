package com.integrationshub.query.problem;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * What a 503 problem tells the client (hub.commands.retry-after in application.yml): the {@code Retry-After} of a
 * decision that did not come in time and of a view that is not queryable here yet.
 */
@ConfigurationProperties("hub.commands")
public class RetryAdvice {

    /** 2 s: about a rebalance's pause; a retried keyed write is answered with its first outcome. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    private Duration retryAfter = DEFAULT_RETRY_AFTER;

    /** How long a client should wait before retrying a 503; whole seconds, at least 1. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** The Retry-After header value, in whole seconds (at least 1). */
    public String seconds() {
        return Long.toString(Math.max(1, retryAfter.toSeconds()));
    }
}
