package com.integrationshub.oauth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLHandshakeException;

/**
 * Calls a provider's token endpoint (RFC 6749 §3.2): the outbound guard first, then a form POST with the client's
 * authentication over {@code java.net.http} with redirects never followed — a 3xx is {@link TokenOutcome.Redirected},
 * so neither the client's credentials nor a code and its PKCE verifier go anywhere but the checked token URL.
 * {@link #request} never completes exceptionally.
 */
public final class TokenEndpointClient {

    /** The largest token response read; a longer one is a failure (a token response is a few KB at most). */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(TokenEndpointClient.class.getName());
    private static final int REQUEST_TIMEOUT = 408;
    private static final int TOO_MANY_REQUESTS = 429;

    private final OutboundGuard guard;
    private final Duration requestTimeout;
    private final Executor executor;
    private final HttpClient http;

    /**
     * @param connectTimeout time to open the connection
     * @param requestTimeout time from sending the request to the end of the answer's headers
     * @param executor       runs the guard's name resolution and the client's work
     */
    public TokenEndpointClient(
            OutboundGuard guard, Duration connectTimeout, Duration requestTimeout, Executor executor) {
        this.guard = guard;
        this.requestTimeout = requestTimeout;
        this.executor = executor;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    /** The guard this client checks every URL with. */
    public OutboundGuard guard() {
        return guard;
    }

    /** Sends one grant's token request to a token URL ({@code {entity_id}} already filled) as the client. */
    public CompletableFuture<TokenOutcome> request(String tokenUrl, OAuthClient client, TokenRequest grant) {
        final URI uri;
        final TokenRequest.Prepared prepared;
        try {
            uri = URI.create(tokenUrl);
            prepared = grant.prepare(client);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new TokenOutcome.Blocked("invalid_url"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> guard.check(uri), executor)
                    .thenCompose(checked -> http.sendAsync(post(uri, prepared), capped()))
                    .thenApply(TokenEndpointClient::read)
                    .exceptionally(TokenEndpointClient::failure);
        } catch (RuntimeException e) {
            // The executor refused the task (shutting down).
            return CompletableFuture.completedFuture(failure(e));
        }
    }

    /**
     * Sends an OAuth 1.0a credentials request (RFC 5849 §2.1 temporary credentials, §2.3 token credentials): a form
     * POST carrying the signed {@code Authorization} header, through the same guard, limits and no-redirect rule as a
     * token request. Never completes exceptionally.
     */
    public CompletableFuture<FormAnswer> postSigned(String url, String authorization, String formBody) {
        final URI uri;
        final HttpRequest request;
        try {
            uri = URI.create(url);
            request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(formBody))
                    .build();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(FormAnswer.failed("invalid_url"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> guard.check(uri), executor)
                    .thenCompose(checked -> http.sendAsync(request, capped()))
                    .thenApply(response -> FormAnswer.answered(response.statusCode(), response.body()))
                    .exceptionally(e -> FormAnswer.failed(failure(e).reason()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    FormAnswer.failed(failure(e).reason()));
        }
    }

    private HttpRequest post(URI uri, TokenRequest.Prepared prepared) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(prepared.body()));
        if (prepared.authorization() != null) request.header("Authorization", prepared.authorization());
        return request.build();
    }

    static TokenOutcome read(HttpResponse<byte[]> response) {
        final int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return TokenResponse.parse(response.body())
                    .<TokenOutcome>map(TokenOutcome.Granted::new)
                    .orElse(new TokenOutcome.Unavailable("answer_without_access_token"));
        }
        if (status >= 300 && status < 400) return new TokenOutcome.Redirected(status);
        final String reason = OAuthErrors.tokenError(TokenResponse.error(response.body()), status);
        if (status >= 500 || status == REQUEST_TIMEOUT || status == TOO_MANY_REQUESTS || status < 200) {
            return new TokenOutcome.Unavailable(reason);
        }
        return new TokenOutcome.Refused(status, reason);
    }

    private static TokenOutcome failure(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OutboundRefusedException refused) return new TokenOutcome.Blocked(refused.code());
        // No connection made (or no TLS session): the request reached no one, so a refresh token in it is not spent.
        if (cause instanceof HttpConnectTimeoutException
                || cause instanceof ConnectException
                || cause instanceof SSLHandshakeException) {
            return new TokenOutcome.Unavailable("connect_failed");
        }
        if (cause instanceof HttpTimeoutException) return new TokenOutcome.Unavailable("timeout");
        if (cause instanceof ResponseTooLargeException) return new TokenOutcome.Unavailable("answer_too_large");
        // The class name only: an exception message may hold the URL.
        LOG.log(Level.FINE, "token call failed: {0}", cause.getClass().getName());
        return new TokenOutcome.Unavailable("connection_error");
    }

    private static HttpResponse.BodyHandler<byte[]> capped() {
        return info -> new CappedBody(MAX_RESPONSE_BYTES);
    }

    /** Collects a body up to a limit; past it, cancels the stream and fails. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (body.isDone()) return;
            for (ByteBuffer item : items) {
                if (out.size() + item.remaining() > limit) {
                    subscription.cancel();
                    body.completeExceptionally(new ResponseTooLargeException());
                    return;
                }
                final byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(out.toByteArray());
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return body;
        }
    }

    private static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException() {
            super("token response over " + MAX_RESPONSE_BYTES + " bytes");
        }
    }
}
