package com.integrationshub.testkit.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): a client registered with {@link ClientAuth#BASIC}
 * must use HTTP Basic, one registered with {@link ClientAuth#POST} the form fields; the other way, both at once, or a
 * wrong secret is refused.
 */
final class ClientAuthentication {

    /** The result of authenticating one token call. */
    sealed interface Result {}

    /** The call is from this client. */
    record Authenticated(RegisteredClient client) implements Result {}

    /** The call is refused with this answer (401 {@code invalid_client} or 400 {@code invalid_request}). */
    record Refused(TokenAnswer answer) implements Result {}

    /** The id and secret of an HTTP Basic header. */
    record BasicCredentials(String id, String secret) {}

    private ClientAuthentication() {}

    /** Authenticates a token call from its form and {@code Authorization} header (null when absent). */
    static Result authenticate(Map<String, RegisteredClient> clients, Map<String, String> form, String authorization) {
        final String formId = form.get("client_id");
        final String formSecret = form.get("client_secret");
        BasicCredentials basic = null;
        if (authorization != null) {
            basic = parseBasic(authorization);
            if (basic == null) return refused(401, "invalid_client", "unreadable Authorization header");
        }
        if (basic != null && formSecret != null) {
            return refused(400, "invalid_request", "more than one client authentication method");
        }
        if (basic != null && formId != null && !formId.equals(basic.id())) {
            return refused(400, "invalid_request", "client_id differs from the authenticated client");
        }
        final String id = basic != null ? basic.id() : formId;
        final RegisteredClient client = id == null ? null : clients.get(id);
        if (client == null) return refused(401, "invalid_client", "unknown client");
        final String secret;
        if (client.auth() == ClientAuth.BASIC) {
            if (basic == null) return refused(401, "invalid_client", "this client authenticates with HTTP Basic");
            secret = basic.secret();
        } else {
            if (basic != null) {
                return refused(401, "invalid_client", "this client authenticates with client_secret in the form");
            }
            secret = formSecret;
        }
        if (secret == null || !MessageDigest.isEqual(bytes(secret), bytes(client.secret()))) {
            return refused(401, "invalid_client", "client authentication failed");
        }
        return new Authenticated(client);
    }

    /** Returns the client a call claims to be (HTTP Basic first, else {@code client_id}), authenticated or not. */
    static String claimedClient(Map<String, String> form, String authorization) {
        if (authorization != null) {
            final BasicCredentials basic = parseBasic(authorization);
            if (basic != null) return basic.id();
        }
        return form.get("client_id");
    }

    /** Returns the id and secret of an HTTP Basic header (each form-urlencoded, RFC 6749 §2.3.1), or null. */
    static BasicCredentials parseBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            final String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            final int colon = decoded.indexOf(':');
            if (colon < 0) return null;
            return new BasicCredentials(
                    URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Refused refused(int status, String error, String description) {
        return new Refused(TokenAnswer.error(status, error, description, null));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
