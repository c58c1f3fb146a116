package com.integrationshub.testkit.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The authorization server's rules, without HTTP: registered clients, the authorization endpoint (RFC 6749 §4.1 with
 * RFC 7636 PKCE, S256 only) and the {@code authorization_code}, {@code refresh_token} and {@code client_credentials}
 * grants. Refresh tokens are single-use and rotate; a used one presented again revokes its family. Not thread-safe:
 * the stand-in calls it under its lock.
 */
final class GrantRules {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final Map<String, RegisteredClient> clients = new HashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private final TokenFamilies families = new TokenFamilies();
    private boolean omitRefreshToken;
    private Duration expiresIn = Duration.ofHours(1);
    private Duration codeLifetime = Duration.ofMinutes(1);
    /** How long a rotated refresh token is accepted again (null: never, reuse revokes the family). */
    private Duration reuseGrace;

    /** The tokens issued so far, by family. */
    TokenFamilies families() {
        return families;
    }

    void register(RegisteredClient client) {
        clients.put(client.id(), client);
    }

    void setOmitRefreshToken(boolean omit) {
        omitRefreshToken = omit;
    }

    void setExpiresIn(Duration lifetime) {
        expiresIn = lifetime;
    }

    void setCodeLifetime(Duration lifetime) {
        codeLifetime = lifetime;
    }

    void setReuseGrace(Duration grace) {
        reuseGrace = grace;
    }

    /** Starts a family as if the authorization code flow had just completed for the client. */
    MintedGrant mint(String clientId, String scope, Instant now) {
        final RegisteredClient client = clients.get(clientId);
        if (client == null) throw new IllegalArgumentException("no client " + clientId + " is registered");
        final String family = families.newFamily(clientId, scope);
        final String access = newAccessToken(client.id(), OAuthProviderStandIn.MINTED, family, now);
        final String refresh = families.newRefreshToken(family);
        return new MintedGrant(access, refresh, family, now, expiresIn);
    }

    /** Decides an authorization request, the person consenting at once. */
    AuthorizeAnswer authorize(Map<String, String> query, Instant now) {
        final RegisteredClient client = clients.get(query.get("client_id"));
        if (client == null) return new AuthorizeAnswer.Refusal("unknown client_id");
        final String redirect = query.get("redirect_uri");
        if (redirect == null || !client.redirectUris().contains(redirect)) {
            return new AuthorizeAnswer.Refusal("redirect_uri is not registered for client " + client.id());
        }
        final String state = query.get("state");
        if (!"code".equals(query.get("response_type"))) {
            return AuthorizeAnswer.redirectError(redirect, "unsupported_response_type", state);
        }
        if (state == null || state.isEmpty()) return AuthorizeAnswer.redirectError(redirect, "invalid_request", null);
        final String challenge = query.get("code_challenge");
        if (challenge == null
                || !"S256".equals(query.get("code_challenge_method"))
                || !CHALLENGE.matcher(challenge).matches()) {
            return AuthorizeAnswer.redirectError(redirect, "invalid_request", state);
        }
        final String code = families.newToken("code_");
        codes.put(code, new Code(client.id(), redirect, challenge, query.get("scope"), now.plus(codeLifetime)));
        return new AuthorizeAnswer.Redirect(FormEncoding.withParams(redirect, "code", code, "state", state));
    }

    /** Decides a token request from its form and {@code Authorization} header (null when absent). */
    TokenAnswer token(Instant now, Map<String, String> form, String authorization) {
        final ClientAuthentication.Result result = ClientAuthentication.authenticate(clients, form, authorization);
        if (!(result instanceof ClientAuthentication.Authenticated authenticated)) {
            return ((ClientAuthentication.Refused) result).answer();
        }
        final RegisteredClient client = authenticated.client();
        final String grant = form.get("grant_type");
        if (grant == null) return TokenAnswer.error(400, "invalid_request", "grant_type is required", null);
        final TokenAnswer answer = switch (grant) {
            case OAuthProviderStandIn.AUTHORIZATION_CODE -> exchangeCode(now, client, form);
            case OAuthProviderStandIn.REFRESH_TOKEN -> refresh(now, client, form);
            case OAuthProviderStandIn.CLIENT_CREDENTIALS ->
                TokenAnswer.ok(
                        tokens(now, client, OAuthProviderStandIn.CLIENT_CREDENTIALS, null, form.get("scope"), false),
                        null);
            default -> TokenAnswer.error(400, "unsupported_grant_type", "unsupported grant_type " + grant, null);
        };
        return answer.forClient(client.id());
    }

    /** Returns the S256 code challenge of a PKCE code verifier (RFC 7636 §4.2). */
    static String s256(String verifier) {
        try {
            final byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private TokenAnswer exchangeCode(Instant now, RegisteredClient client, Map<String, String> form) {
        final String value = form.get("code");
        if (value == null) return TokenAnswer.error(400, "invalid_request", "code is required", null);
        final Code code = codes.get(value);
        if (code == null) return TokenAnswer.error(400, "invalid_grant", "unknown code", null);
        if (code.family != null) {
            families.revokeFamily(code.family, now);
            return TokenAnswer.error(400, "invalid_grant", "the code was used already", code.family);
        }
        if (!code.clientId.equals(client.id())) {
            return TokenAnswer.error(400, "invalid_grant", "the code was issued to another client", null);
        }
        if (!now.isBefore(code.expiresAt)) return TokenAnswer.error(400, "invalid_grant", "the code expired", null);
        if (!Objects.equals(form.get("redirect_uri"), code.redirectUri)) {
            return TokenAnswer.error(400, "invalid_grant", "redirect_uri differs from the authorization request", null);
        }
        final String verifier = form.get("code_verifier");
        if (verifier == null) return TokenAnswer.error(400, "invalid_request", "code_verifier is required", null);
        if (!VERIFIER.matcher(verifier).matches() || !s256(verifier).equals(code.challenge)) {
            return TokenAnswer.error(400, "invalid_grant", "code_verifier does not match the code_challenge", null)
                    .withVerifier(verifier);
        }
        final String family = families.newFamily(client.id(), code.scope);
        code.family = family;
        return TokenAnswer.ok(
                        tokens(now, client, OAuthProviderStandIn.AUTHORIZATION_CODE, family, code.scope, true), family)
                .withVerifier(verifier);
    }

    private TokenAnswer refresh(Instant now, RegisteredClient client, Map<String, String> form) {
        final String value = form.get("refresh_token");
        if (value == null) return TokenAnswer.error(400, "invalid_request", "refresh_token is required", null);
        final String family = families.familyOfRefreshToken(value);
        if (family == null) return TokenAnswer.error(400, "invalid_grant", "unknown refresh token", null);
        if (!families.clientOf(family).equals(client.id())) {
            return TokenAnswer.error(400, "invalid_grant", "the refresh token was issued to another client", family);
        }
        switch (families.refreshState(value)) {
            case USED -> {
                final Instant usedAt = families.usedAt(value);
                if (reuseGrace != null && usedAt != null && now.isBefore(usedAt.plus(reuseGrace))) {
                    // Within the grace the previous refresh token still works: a new pair, the family kept.
                    return TokenAnswer.ok(
                            tokens(
                                    now,
                                    client,
                                    OAuthProviderStandIn.REFRESH_TOKEN,
                                    family,
                                    families.scopeOf(family),
                                    true),
                            family);
                }
                families.revokeFamily(family, now);
                return TokenAnswer.error(400, "invalid_grant", "the refresh token was used already", family)
                        .withReuse(value);
            }
            case REVOKED -> {
                return TokenAnswer.error(400, "invalid_grant", "the refresh token was revoked", family);
            }
            default -> {
                final boolean rotate = !omitRefreshToken;
                if (rotate) families.markUsed(value, now);
                return TokenAnswer.ok(
                        tokens(
                                now,
                                client,
                                OAuthProviderStandIn.REFRESH_TOKEN,
                                family,
                                families.scopeOf(family),
                                rotate),
                        family);
            }
        }
    }

    private Map<String, Object> tokens(
            Instant now, RegisteredClient client, String grant, String family, String scope, boolean withRefresh) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", newAccessToken(client.id(), grant, family, now));
        body.put("token_type", "Bearer");
        if (expiresIn != null) body.put("expires_in", expiresIn.toSeconds());
        if (withRefresh) body.put("refresh_token", families.newRefreshToken(family));
        if (scope != null) body.put("scope", scope);
        return body;
    }

    private String newAccessToken(String clientId, String grant, String family, Instant now) {
        return families.newAccessToken(clientId, grant, family, now, expiresIn == null ? null : now.plus(expiresIn));
    }

    private static final class Code {
        final String clientId;
        final String redirectUri;
        final String challenge;
        final String scope;
        final Instant expiresAt;
        String family;

        Code(String clientId, String redirectUri, String challenge, String scope, Instant expiresAt) {
            this.clientId = clientId;
            this.redirectUri = redirectUri;
            this.challenge = challenge;
            this.scope = scope;
            this.expiresAt = expiresAt;
        }
    }
}
