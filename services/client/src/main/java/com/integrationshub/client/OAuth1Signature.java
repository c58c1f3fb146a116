package com.integrationshub.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link IntegrationsHubClient#sign}: the headers that sign one OAuth 1.0a request, today only
 * {@code Authorization: OAuth oauth_consumer_key="...", ..., oauth_signature="..."}. Send them with exactly the method,
 * URL and form parameters that were signed; the nonce and timestamp in them are good for that one request.
 *
 * <p>A signature is a credential ({@code PLAINTEXT}'s even holds the consumer secret): {@link #toString()} names the
 * headers only.
 *
 * @param headers the header names and values, in the hub's order
 */
public record OAuth1Signature(Map<String, String> headers) {

    /** The header that carries the signature. */
    public static final String AUTHORIZATION = "Authorization";

    public OAuth1Signature {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }

    /** Returns the {@code Authorization} header's value ({@code OAuth ...}), empty if the hub sent none. */
    public Optional<String> authorization() {
        return header(AUTHORIZATION);
    }

    /** Returns a header's value, its name matched ignoring case as HTTP does; empty when there is none. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Names the headers only: the values are credentials. */
    @Override
    public String toString() {
        return "OAuth1Signature" + headers.keySet();
    }
}
