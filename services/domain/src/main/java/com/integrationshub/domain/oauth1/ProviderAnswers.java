package com.integrationshub.domain.oauth1;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a provider's answers mean to the hub: the temporary credentials (RFC 5849 §2.1) and token credentials
 * (§2.3) in a form-encoded body, the authorize URL (§2.2), and an {@code oauth_problem} (OAuth Problem Reporting)
 * that means the person must authorize again.
 */
public final class ProviderAnswers {

    /** Problems after which the token is of no use until the person authorizes again. */
    private static final Set<String> NEEDS_REAUTH =
            Set.of("token_rejected", "token_revoked", "token_expired", "permission_unknown", "permission_denied");

    private ProviderAnswers() {}

    /**
     * Returns the temporary credentials of a §2.1 answer, or empty when the body lacks {@code oauth_token},
     * {@code oauth_token_secret} or {@code oauth_callback_confirmed=true} (which §2.1 requires, so a provider that
     * ignored the callback is not trusted).
     */
    public static Optional<OAuth1Token> temporaryCredentials(String body) {
        final List<Parameter> values = parse(body);
        if (!"true".equals(first(values, "oauth_callback_confirmed").orElse(null))) return Optional.empty();
        return token(values);
    }

    /** Returns the token credentials of a §2.3 answer, or empty when it lacks oauth_token or oauth_token_secret. */
    public static Optional<OAuth1Token> tokenCredentials(String body) {
        return token(parse(body));
    }

    /** Returns the {@code oauth_problem} of a form-encoded refusal body, or empty. */
    public static Optional<String> problem(String body) {
        return first(parse(body), "oauth_problem");
    }

    /** Returns whether a provider's refusal with this problem means the token needs the person again. */
    public static boolean needsReauthorization(String oauthProblem) {
        return NEEDS_REAUTH.contains(oauthProblem);
    }

    /** Returns the authorize URL for a temporary token: {@code oauth_token} added to the URL's own query. */
    public static String authorizeUrl(String authorizationUrl, String temporaryToken) {
        final String separator = authorizationUrl.contains("?") ? "&" : "?";
        return authorizationUrl + separator + "oauth_token=" + PercentEncoding.encode(temporaryToken);
    }

    private static Optional<OAuth1Token> token(List<Parameter> values) {
        final Optional<String> token = first(values, "oauth_token").filter(t -> !t.isEmpty());
        final Optional<String> secret = first(values, "oauth_token_secret");
        if (token.isEmpty() || secret.isEmpty()) return Optional.empty();
        return Optional.of(new OAuth1Token(token.get(), secret.get()));
    }

    private static List<Parameter> parse(String body) {
        try {
            return SignatureBaseString.formParameters(body == null ? "" : body.strip());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static Optional<String> first(List<Parameter> values, String name) {
        return values.stream()
                .filter(p -> p.name().equals(name))
                .map(Parameter::value)
                .findFirst();
    }
}
