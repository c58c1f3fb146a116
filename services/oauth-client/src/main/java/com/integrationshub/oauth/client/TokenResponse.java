package com.integrationshub.oauth.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * A successful token response (RFC 6749 §5.1), values in clear (only in memory: callers seal them before they travel).
 *
 * @param accessToken  never null or empty
 * @param tokenType    null when the provider sent none
 * @param expiresIn    seconds, null when absent or unreadable
 * @param refreshToken null when the provider sent none
 * @param scope        the raw {@code scope}, null when absent
 */
public record TokenResponse(String accessToken, String tokenType, Long expiresIn, String refreshToken, String scope) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The granted scopes, split (empty when the provider did not say). */
    public List<String> scopes() {
        return Scopes.split(scope);
    }

    /** The token response in a body, or empty when it is not a JSON object with a non-empty {@code access_token}. */
    public static Optional<TokenResponse> parse(byte[] body) {
        final JsonNode node = object(body);
        final String access = text(node, "access_token");
        if (access == null) return Optional.empty();
        return Optional.of(new TokenResponse(
                access, text(node, "token_type"), seconds(node), text(node, "refresh_token"), text(node, "scope")));
    }

    /** The {@code error} member of an error response (RFC 6749 §5.2) as sent, or null; callers restrict it. */
    static String error(byte[] body) {
        return text(object(body), "error");
    }

    private static JsonNode object(byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            final JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        if (body == null) return null;
        final JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.textValue().isEmpty() ? value.textValue() : null;
    }

    /** expires_in as a number, or as a string of digits as some providers send it. */
    private static Long seconds(JsonNode body) {
        if (body == null) return null;
        final JsonNode value = body.get("expires_in");
        if (value == null) return null;
        if (value.isIntegralNumber() && value.canConvertToLong()) return value.longValue();
        if (value.isTextual() && value.textValue().matches("\\d{1,12}")) return Long.parseLong(value.textValue());
        return null;
    }

    @Override
    public String toString() {
        return "TokenResponse[type=" + tokenType + ", expiresIn=" + expiresIn + ", rotated=" + (refreshToken != null)
                + "]";
    }
}
