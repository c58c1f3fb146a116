package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.query.json.JsonBody;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/** Calls a provider's token endpoint (RFC 6749 §4.1.3 code exchange, §4.4 client credentials). */
@Singleton
public class TokenEndpoint {

    private final HttpClient http;
    private final Duration timeout;

    public TokenEndpoint(HttpClient http, @Value("${hub.oauth.token-endpoint-timeout}") Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Exchanges an authorization code, proving the flow with its PKCE verifier. */
    public Mono<ProviderToken> exchangeCode(Client client, String tokenUrl, String code, String verifier, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        return call(client, tokenUrl, form);
    }

    /** Fetches a token with the client's own credentials. */
    public Mono<ProviderToken> clientCredentials(Client client, String tokenUrl, java.util.List<String> scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) form.put("scope", String.join(" ", scopes));
        return call(client, tokenUrl, form);
    }

    private Mono<ProviderToken> call(Client client, String tokenUrl, Map<String, String> form) {
        var request = HttpRequest.POST(tokenUrl, "").contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .accept(MediaType.APPLICATION_JSON_TYPE);
        if (client.method() == ClientAuthMethod.CLIENT_SECRET_POST) {
            form.put("client_id", client.id());
            if (client.secret() != null) form.put("client_secret", client.secret());
        } else {
            request.basicAuth(encode(client.id()), encode(client.secret() == null ? "" : client.secret()));
        }
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return Mono.from(http.retrieve(request.body(body), String.class))
                .timeout(timeout)
                .map(TokenEndpoint::parse)
                .onErrorMap(HttpClientResponseException.class, e -> refusal(e));
    }

    private static ProviderToken parse(String json) {
        try {
            JsonNode node = JsonBody.mapper().readTree(json);
            String access = node.path("access_token").asText(null);
            if (access == null || access.isEmpty()) throw new ProviderRefusedException("no_access_token");
            Long expiresIn = node.hasNonNull("expires_in") ? node.get("expires_in").asLong() : null;
            String scope = node.path("scope").asText("");
            return new ProviderToken(access, node.path("refresh_token").asText(null), node.path("token_type").asText("Bearer"),
                    expiresIn, scope.isBlank() ? java.util.List.of() : java.util.List.of(scope.split(" ")));
        } catch (ProviderRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProviderRefusedException("unreadable_token_response");
        }
    }

    private static ProviderRefusedException refusal(HttpClientResponseException e) {
        String code = e.getResponse().getBody(String.class).map(body -> {
            try {
                return JsonBody.mapper().readTree(body).path("error").asText("http_" + e.getStatus().getCode());
            } catch (Exception ignored) {
                return "http_" + e.getStatus().getCode();
            }
        }).orElse("http_" + e.getStatus().getCode());
        return new ProviderRefusedException(code);
    }

    // RFC 6749 §2.3.1: client id and secret are form-encoded before HTTP Basic.
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** How the service authenticates as the OAuth client. */
    public record Client(String id, String secret, ClientAuthMethod method) {
    }

    /** A token as the provider returned it (values in clear, only in memory, sealed before they travel). */
    public record ProviderToken(String accessToken, String refreshToken, String tokenType, Long expiresIn,
                                java.util.List<String> scopes) {
        @Override
        public String toString() {
            return "ProviderToken[type=" + tokenType + ", expiresIn=" + expiresIn + "]";
        }
    }

    /** The provider refused or failed; `code` is its OAuth error code (never a secret). */
    public static final class ProviderRefusedException extends RuntimeException {
        private final String code;

        public ProviderRefusedException(String code) {
            super("the provider refused: " + code, null, false, false);
            this.code = code;
        }

        /** The OAuth error code, e.g. invalid_grant. */
        public String code() {
            return code;
        }
    }
}
