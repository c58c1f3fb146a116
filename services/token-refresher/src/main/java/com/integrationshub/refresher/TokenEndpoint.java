package com.integrationshub.refresher;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Calls a provider's token endpoint (RFC 6749 §3.2) with a form POST through the non-blocking Micronaut HTTP client,
 * and reads the answer as a {@link ProviderAnswer}. Never fails: transport errors are {@link ProviderAnswer.Retryable}.
 * Reasons are OAuth error codes or short texts, never a value from the request or a token.
 */
@Singleton
public class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    /** The characters RFC 6749 §5.2 allows in an error code; a longer or other text is not trusted as a reason. */
    private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");
    private static final int REQUEST_TIMEOUT = 408;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERRORS = 500;

    private final HttpClient http;
    private final JsonMapper json;

    public TokenEndpoint(@Named(RefresherFactory.PROVIDER_CLIENT) HttpClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    /** Posts the form to the token URL, with an Authorization header when given; completes with the answer. */
    public CompletableFuture<ProviderAnswer> request(String url, Map<String, String> form, String authorization) {
        final var request = HttpRequest.POST(url, encode(form))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .accept(MediaType.APPLICATION_JSON_TYPE);
        if (authorization != null) request.header(HttpHeaders.AUTHORIZATION, authorization);
        final CompletableFuture<ProviderAnswer> answer = new CompletableFuture<>();
        try {
            Mono.from(http.exchange(request, Argument.of(byte[].class), Argument.of(byte[].class)))
                    .subscribe(response -> answer.complete(read(response)),
                            error -> answer.complete(failure(error)),
                            () -> answer.complete(new ProviderAnswer.Retryable("empty_answer")));
        } catch (RuntimeException e) {
            answer.complete(failure(e));
        }
        return answer;
    }

    /** The form as application/x-www-form-urlencoded. */
    static String encode(Map<String, String> form) {
        final StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> {
            if (body.length() > 0) body.append('&');
            body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        return body.toString();
    }

    private ProviderAnswer read(HttpResponse<byte[]> response) {
        final int status = response.code();
        final JsonNode body = parse(response.getBody(byte[].class).orElse(null));
        if (status == 200) {
            final String access = text(body, "access_token");
            if (access == null) return new ProviderAnswer.Retryable("answer_without_access_token");
            return new ProviderAnswer.Granted(access, text(body, "refresh_token"), seconds(body),
                    text(body, "token_type"), text(body, "scope"));
        }
        final String error = text(body, "error");
        final String reason = error != null && ERROR_CODE.matcher(error).matches() ? error : "http_" + status;
        if (status >= SERVER_ERRORS || status == REQUEST_TIMEOUT || status == TOO_MANY_REQUESTS) {
            return new ProviderAnswer.Retryable(reason);
        }
        return new ProviderAnswer.Refused(reason);
    }

    private static ProviderAnswer failure(Throwable error) {
        if (error instanceof ReadTimeoutException) return new ProviderAnswer.Retryable("timeout");
        LOG.debug("token call failed: {}", error.toString());
        return new ProviderAnswer.Retryable("connection_error");
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return null;
        try {
            final JsonNode node = json.readValue(bytes, JsonNode.class);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        if (body == null) return null;
        final JsonNode value = body.get(field);
        return value != null && value.isString() && !value.getStringValue().isEmpty() ? value.getStringValue() : null;
    }

    /** expires_in as a number, or as a string of digits as some providers send it; null when absent or unreadable. */
    private static Long seconds(JsonNode body) {
        if (body == null) return null;
        final JsonNode value = body.get("expires_in");
        if (value == null) return null;
        if (value.isNumber()) return value.getLongValue();
        if (value.isString() && value.getStringValue().matches("\\d{1,12}")) return Long.parseLong(value.getStringValue());
        return null;
    }
}
