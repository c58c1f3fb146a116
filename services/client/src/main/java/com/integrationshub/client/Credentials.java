package com.integrationshub.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an org calls an integration's API with: the JSON object of {@code GET .../credentials}, in the hub's order.
 *
 * <p>Without {@code credential_headers} on the integration these are the raw values of its auth scheme:
 * {@code api_key} ({@code API_KEY}), {@code token} ({@code BEARER_TOKEN}), {@code username} and {@code password}
 * ({@code BASIC}), {@code access_token} and {@code expires_at} ({@code OAUTH2}), {@code oauth_token},
 * {@code oauth_token_secret}, {@code consumer_key} and {@code signature_method} ({@code OAUTH1}), nothing for
 * {@code NO_AUTH}; the typed accessors read them. An OAuth 1.0a request must be signed with the consumer secret too,
 * which the hub keeps: ask {@link IntegrationsHubClient#sign} for its {@code Authorization} header, or call through
 * the hub's proxy. With {@code credential_headers}, the hub renders the templates instead, and
 * {@link #values()} is the headers to send (e.g. {@code Authorization: Bearer sk_live_...}); look one up with
 * {@link #header(String)}. The client cannot tell the two shapes apart: use what the integration is configured for.
 *
 * <p>The values are secrets in clear. {@link #toString()} names the members only, never their values.
 *
 * @param values the members and their values; a member the hub answered as null is left out
 */
public record Credentials(Map<String, String> values) {

    /** The key of an {@code API_KEY} integration. */
    public static final String API_KEY = "api_key";
    /** The token of a {@code BEARER_TOKEN} integration. */
    public static final String TOKEN = "token";
    /** The user name of a {@code BASIC} integration. */
    public static final String USERNAME = "username";
    /** The password of a {@code BASIC} integration. */
    public static final String PASSWORD = "password";
    /** The OAuth access token of an {@code OAUTH2} integration. */
    public static final String ACCESS_TOKEN = "access_token";
    /** When the OAuth access token expires (ISO-8601), for an {@code OAUTH2} integration. */
    public static final String EXPIRES_AT = "expires_at";
    /** The OAuth 1.0a token ({@code oauth_token}) of an {@code OAUTH1} integration. */
    public static final String OAUTH_TOKEN = "oauth_token";
    /** The OAuth 1.0a token secret ({@code oauth_token_secret}) of an {@code OAUTH1} integration. */
    public static final String OAUTH_TOKEN_SECRET = "oauth_token_secret";
    /** The OAuth 1.0a consumer key (the connection's client id) of an {@code OAUTH1} integration. */
    public static final String CONSUMER_KEY = "consumer_key";
    /** How an {@code OAUTH1} integration's requests are signed: {@code HMAC-SHA1}, {@code HMAC-SHA256}, ... */
    public static final String SIGNATURE_METHOD = "signature_method";

    public Credentials {
        Objects.requireNonNull(values, "values");
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) copy.put(Objects.requireNonNull(name, "member name"), value);
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** Returns the value of that member (exact name), empty when the answer has none. */
    public Optional<String> get(String member) {
        return Optional.ofNullable(values.get(member));
    }

    /**
     * Returns the value of a rendered credential header, its name matched ignoring case as HTTP does (e.g.
     * {@code header("authorization")} finds {@code Authorization}); empty when there is none.
     */
    public Optional<String> header(String name) {
        String exact = values.get(name);
        if (exact != null) return Optional.of(exact);
        return values.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Returns {@code api_key}: the key of an {@code API_KEY} integration without credential headers. */
    public Optional<String> apiKey() {
        return get(API_KEY);
    }

    /** Returns {@code token}: the token of a {@code BEARER_TOKEN} integration without credential headers. */
    public Optional<String> token() {
        return get(TOKEN);
    }

    /** Returns {@code username}: of a {@code BASIC} integration without credential headers. */
    public Optional<String> username() {
        return get(USERNAME);
    }

    /** Returns {@code password}: of a {@code BASIC} integration without credential headers. */
    public Optional<String> password() {
        return get(PASSWORD);
    }

    /** Returns {@code access_token}: the OAuth token of an {@code OAUTH2} integration without credential headers. */
    public Optional<String> accessToken() {
        return get(ACCESS_TOKEN);
    }

    /**
     * Returns {@code expires_at}: when the OAuth access token expires; empty when the answer has none (static
     * credentials, rendered headers, or a token the provider gave no lifetime).
     *
     * @throws java.time.format.DateTimeParseException if the member is not an ISO-8601 instant
     */
    public Optional<Instant> expiresAt() {
        return get(EXPIRES_AT).map(Instant::parse);
    }

    /** Returns {@code oauth_token}: the OAuth 1.0a token of an {@code OAUTH1} integration without credential headers. */
    public Optional<String> oauthToken() {
        return get(OAUTH_TOKEN);
    }

    /** Returns {@code oauth_token_secret}: the OAuth 1.0a token secret of an {@code OAUTH1} integration. */
    public Optional<String> oauthTokenSecret() {
        return get(OAUTH_TOKEN_SECRET);
    }

    /** Returns {@code consumer_key}: the OAuth 1.0a consumer key of an {@code OAUTH1} integration. */
    public Optional<String> consumerKey() {
        return get(CONSUMER_KEY);
    }

    /**
     * Returns {@code signature_method}: how an {@code OAUTH1} integration's requests are signed ({@code HMAC-SHA1},
     * {@code HMAC-SHA256}, {@code RSA-SHA1} or {@code PLAINTEXT}).
     */
    public Optional<String> signatureMethod() {
        return get(SIGNATURE_METHOD);
    }

    /** Returns whether there is nothing to send (a {@code NO_AUTH} integration). */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Names the members only: the values are secrets. */
    @Override
    public String toString() {
        return "Credentials" + values.keySet();
    }
}
