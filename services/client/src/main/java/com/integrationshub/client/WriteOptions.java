package com.integrationshub.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Preconditions and retry safety of a write.
 *
 * @param expectedVersion sent as {@code If-Match: "<version>"}: the write applies only if the resource is at
 *                        that version, else it fails with {@link PreconditionFailedException}
 * @param idempotencyKey  sent as {@code Idempotency-Key}: a retry with the same key is applied at most once.
 *                        Without one the client makes a new key for each call (see
 *                        {@link ServiceUnavailableException#idempotencyKey()} to retry it)
 */
public record WriteOptions(OptionalLong expectedVersion, Optional<String> idempotencyKey) {

    private static final WriteOptions NONE = new WriteOptions(OptionalLong.empty(), Optional.empty());

    public WriteOptions {
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    /** Returns options with no precondition and a fresh idempotency key per call. */
    public static WriteOptions none() {
        return NONE;
    }

    /** Returns options that apply the write only if the resource is at that version. */
    public static WriteOptions ifMatch(long version) {
        return NONE.withIfMatch(version);
    }

    /** Returns options that send this idempotency key. */
    public static WriteOptions idempotencyKey(String key) {
        return NONE.withIdempotencyKey(key);
    }

    /** Returns these options with the expected version set. */
    public WriteOptions withIfMatch(long version) {
        return new WriteOptions(OptionalLong.of(version), idempotencyKey);
    }

    /** Returns these options with the idempotency key set ({@code [A-Za-z0-9_.-]{1,128}}). */
    public WriteOptions withIdempotencyKey(String key) {
        return new WriteOptions(expectedVersion, Optional.of(Objects.requireNonNull(key, "key")));
    }
}
