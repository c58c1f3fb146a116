package com.integrationshub.query.commands;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How commands are decided and waited for (hub.commands.* in application.yml; {@code retry-after} belongs to the
 * problem path). {@code decision-timeout} and {@code max-listed-errors} are required.
 *
 * @param decisionTimeout      how long a write waits for its decision (and its read-back) before 503; also the
 *                             producer's delivery timeout
 * @param idempotencyRetention how long a command id (an Idempotency-Key) is remembered, so a retry within it gets
 *                             the first outcome (default 24 h)
 * @param maxListedErrors      the most field errors one rejection lists
 * @param maxRecordBytes       the largest event or stored state (Avro bytes) a command may make; larger is rejected
 *                             with 413 (default 768 KiB, well under Kafka's 1 MiB record limit)
 */
@ConfigurationProperties("hub.commands")
public record CommandSettings(
        Duration decisionTimeout,
        @Bindable(defaultValue = "24h") Duration idempotencyRetention,
        int maxListedErrors,
        @Bindable(defaultValue = "786432") int maxRecordBytes) {}
