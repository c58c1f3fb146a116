package com.integrationshub.query.spec;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Providers' OpenAPI documents (hub.specs.* in application.yml).
 *
 * @param topic the compacted topic the documents are stored on, in chunks keyed {@code <digest>/<n>}
 * @param maxBytes the largest document PUT .../openapi takes (413 above it); the server's
 *     micronaut.server.max-request-size must be at least this
 * @param chunkBytes the size of one chunk record, well under the topic's record limit
 * @param maxDepth the deepest nesting of objects and arrays a document may have
 * @param maxAliases the most YAML aliases one document may use
 * @param maxMessages the most parser messages a 422 lists
 * @param maxMessageLength the longest parser message kept
 * @param readWait how long a read waits for a document's chunks to reach this instance's copy of the topic
 */
@ConfigurationProperties("hub.specs")
public record SpecSettings(
        String topic,
        int maxBytes,
        int chunkBytes,
        int maxDepth,
        int maxAliases,
        int maxMessages,
        int maxMessageLength,
        Duration readWait) {

    /** The parser these settings describe. */
    public ProviderSpecParser parser() {
        return new ProviderSpecParser(maxBytes, maxDepth, maxAliases, maxMessages, maxMessageLength);
    }
}
