package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.common.SignatureMethod;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.state.ConnectionState;
import java.util.Locale;

/** The OAuth connection resource (client secret masked). */
public final class ConnectionJson {

    private ConnectionJson() {}

    /** The connection as JSON. */
    public static ObjectNode render(ConnectionState c) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("id", c.getId());
        out.put("connection_name", c.getName());
        out.put("grant_type", grantName(c.getGrantType()));
        out.put("client_id", c.getClientId());
        if (c.getClientSecret() == null) out.putNull("client_secret");
        else out.put("client_secret", ConfigJson.MASK);
        if (c.getGrantType() == GrantType.OAUTH1) {
            // OAuth 1.0a has neither scopes nor refreshes: only its endpoints and how it signs.
            out.put("request_token_url", c.getRequestTokenUrl());
            out.put("authorization_url", c.getAuthorizationUrl());
            out.put("access_token_url", c.getTokenUrl());
            out.put("signature_method", signatureName(c));
            out.put("version", c.getVersion());
            out.put("created_at", c.getCreatedAt().toString());
            out.put("updated_at", c.getUpdatedAt().toString());
            return out;
        }
        out.put("authorization_url", c.getAuthorizationUrl());
        out.put("token_url", c.getTokenUrl());
        var scopes = out.putArray("scopes");
        c.getScopes().forEach(scopes::add);
        ObjectNode extra = out.putObject("extra_authorize_params");
        c.getExtraAuthorizeParams().forEach(extra::put);
        out.put("client_auth_method", c.getClientAuthMethod().name().toLowerCase(Locale.ROOT));
        out.put("refresh_margin_seconds", c.getRefreshMarginSeconds());
        RefreshTokenRotation rotation =
                c.getRefreshTokenRotation() == null ? RefreshTokenRotation.STRICT : c.getRefreshTokenRotation();
        out.put("refresh_token_rotation", rotation.name().toLowerCase(Locale.ROOT));
        out.put("refresh_token_grace", c.getRefreshTokenGrace());
        out.put("version", c.getVersion());
        out.put("created_at", c.getCreatedAt().toString());
        out.put("updated_at", c.getUpdatedAt().toString());
        return out;
    }

    /** authorization_code or client_credentials. */
    public static String grantName(GrantType grant) {
        return grant.name().toLowerCase(Locale.ROOT);
    }

    /** The connection's signature method as RFC 5849 names it (HMAC-SHA1 when none is named). */
    public static String signatureName(ConnectionState c) {
        return OAuth1Flows.method(c).wireName();
    }

    /** Reads signature_method; absent (or null) means none named (HMAC-SHA1 for an oauth1 connection). */
    public static SignatureMethod readSignatureMethod(JsonBody body) {
        String value = body.optionalString("signature_method");
        if (value == null) return null;
        for (SignatureMethod method : SignatureMethod.values()) {
            if (method.name().replace('_', '-').equals(value)) return method;
        }
        body.error("signature_method", "must be HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT");
        return null;
    }

    /** Reads grant_type; absent means authorization_code. */
    public static GrantType readGrant(JsonBody body) {
        String value = body.optionalString("grant_type");
        if (value == null) return GrantType.AUTHORIZATION_CODE;
        return switch (value) {
            case "authorization_code" -> GrantType.AUTHORIZATION_CODE;
            case "client_credentials" -> GrantType.CLIENT_CREDENTIALS;
            case "oauth1" -> GrantType.OAUTH1;
            default -> {
                body.error("grant_type", "must be authorization_code, client_credentials or oauth1");
                yield null;
            }
        };
    }

    /** Reads client_auth_method; absent means client_secret_basic. */
    public static ClientAuthMethod readClientAuth(JsonBody body) {
        String value = body.optionalString("client_auth_method");
        if (value == null) return ClientAuthMethod.CLIENT_SECRET_BASIC;
        return switch (value) {
            case "client_secret_basic" -> ClientAuthMethod.CLIENT_SECRET_BASIC;
            case "client_secret_post" -> ClientAuthMethod.CLIENT_SECRET_POST;
            default -> {
                body.error("client_auth_method", "must be client_secret_basic or client_secret_post");
                yield null;
            }
        };
    }

    /** Reads refresh_token_rotation; absent (or null) means strict. */
    public static RefreshTokenRotation readRotation(JsonBody body) {
        String value = body.optionalString("refresh_token_rotation");
        if (value == null) return RefreshTokenRotation.STRICT;
        return switch (value) {
            case "strict" -> RefreshTokenRotation.STRICT;
            case "grace" -> RefreshTokenRotation.GRACE;
            case "none" -> RefreshTokenRotation.NONE;
            default -> {
                body.error("refresh_token_rotation", "must be strict, grace or none");
                yield null;
            }
        };
    }
}
