package com.integrationshub.oauth.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One grant's token request parameters (RFC 6749 §4.1.3, §6, §4.4), before client authentication is added. */
public final class TokenRequest {

    private final String grantType;
    private final Map<String, String> parameters;

    private TokenRequest(String grantType, Map<String, String> parameters) {
        this.grantType = grantType;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /** The authorization code grant with its PKCE verifier (RFC 7636 §4.5). */
    public static TokenRequest authorizationCode(String code, String redirectUri, String codeVerifier) {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", Objects.requireNonNull(code, "code"));
        if (redirectUri != null) form.put("redirect_uri", redirectUri);
        if (codeVerifier != null) form.put("code_verifier", codeVerifier);
        return new TokenRequest("authorization_code", form);
    }

    /** A refresh (RFC 6749 §6). */
    public static TokenRequest refreshToken(String refreshToken) {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", Objects.requireNonNull(refreshToken, "refreshToken"));
        return new TokenRequest("refresh_token", form);
    }

    /** The client credentials grant (RFC 6749 §4.4), with the scopes asked for (none: the provider's default). */
    public static TokenRequest clientCredentials(List<String> scopes) {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scopes != null && !scopes.isEmpty()) form.put("scope", Scopes.join(scopes));
        return new TokenRequest("client_credentials", form);
    }

    /** The grant type. */
    public String grantType() {
        return grantType;
    }

    /** The body and headers of the request as the client sends them. */
    Prepared prepare(OAuthClient client) {
        final Map<String, String> form = new LinkedHashMap<>(parameters);
        String authorization = null;
        if (client.authentication() == ClientAuthentication.POST) {
            form.put("client_id", client.id());
            if (client.secret() != null) form.put("client_secret", client.secret());
        } else {
            authorization = FormEncoding.basicAuthorization(client.id(), client.secret());
        }
        return new Prepared(FormEncoding.encode(form), authorization);
    }

    /** The form body and the Authorization header value (null with client_secret_post). */
    record Prepared(String body, String authorization) {
        @Override
        public String toString() {
            return "Prepared[...]";
        }
    }

    @Override
    public String toString() {
        return "TokenRequest[" + grantType + "]";
    }
}
