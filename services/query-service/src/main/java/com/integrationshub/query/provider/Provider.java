package com.integrationshub.query.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the provider catalogue: how a well-known OAuth 2.0 provider is connected to and refreshed, from its
 * public documentation ({@code docsUrl}). URLs may hold {@code {entity_id}} (the part that differs per customer:
 * tenant, domain, subdomain or instance), filled with the org's mapped entity id when used.
 *
 * @param provider the id ({@code [a-z0-9_-]{1,64}})
 * @param displayName what people call it
 * @param grantTypes the grant types it supports, the one a template uses first
 * @param authorizationUrl the authorize endpoint; null when it has no authorization_code grant
 * @param tokenUrl the token endpoint
 * @param entityIdName what {@code {entity_id}} stands for; null when its URLs are the same for everyone
 * @param scopes default scopes
 * @param scopeSeparator how it joins scopes in the authorize request
 * @param pkce whether it documents PKCE (RFC 7636) for this flow
 * @param tokenAuthMethod {@code client_secret_basic} or {@code client_secret_post}
 * @param refreshTokenRotation {@code strict}, {@code grace} or {@code none}
 * @param expiresInOmitted whether its token response has no {@code expires_in}
 * @param extraAuthorizeParams extra query parameters of the authorize request
 * @param docsUrl its OAuth documentation
 * @param notes what else changes how it is used or refreshed, and what is not certain; null when nothing
 */
public record Provider(
        String provider,
        String displayName,
        List<String> grantTypes,
        String authorizationUrl,
        String tokenUrl,
        String entityIdName,
        List<String> scopes,
        String scopeSeparator,
        boolean pkce,
        String tokenAuthMethod,
        String refreshTokenRotation,
        boolean expiresInOmitted,
        Map<String, String> extraAuthorizeParams,
        String docsUrl,
        String notes) {

    /** The grant types an entry may name (the hub's). */
    public static final List<String> GRANT_TYPES = List.of("authorization_code", "client_credentials");
    /** The client authentication methods at the token endpoint (the hub's client_auth_method values). */
    public static final List<String> TOKEN_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post");
    /** How a provider treats the refresh token on a refresh. */
    public static final List<String> ROTATIONS = List.of("strict", "grace", "none");

    public Provider {
        grantTypes = List.copyOf(grantTypes);
        scopes = List.copyOf(scopes);
        // Kept in the file's order, so the catalogue reads as written.
        extraAuthorizeParams = Collections.unmodifiableMap(new LinkedHashMap<>(extraAuthorizeParams));
    }

    /** The grant type a connection made from this entry gets when the request names none. */
    public String defaultGrantType() {
        return grantTypes.get(0);
    }

    /** The authorize endpoint, when it has an authorization_code grant. */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorizationUrl);
    }
}
