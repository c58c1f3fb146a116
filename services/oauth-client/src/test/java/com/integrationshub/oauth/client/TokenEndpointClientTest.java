package com.integrationshub.oauth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenEndpointClientTest {

    private static final OutboundPolicy LOCAL = new OutboundPolicy(true, true, false, false);
    private static final OAuthClient BASIC = new OAuthClient("app", "app-secret", ClientAuthentication.BASIC);

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Stub> stubs = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        stubs.forEach(s -> s.server.stop(0));
        executor.shutdownNow();
    }

    /** A token endpoint answering every request with {@code answer}, recording what it received. */
    private Stub stub(Function<HttpExchange, Answer> answer) throws IOException {
        final Stub stub = new Stub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        stub.server.createContext("/", exchange -> {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            stub.received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
            final Answer a = answer.apply(exchange);
            a.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            final byte[] bytes = a.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.server.start();
        stubs.add(stub);
        return stub;
    }

    private TokenEndpointClient client(OutboundPolicy policy, Duration timeout) {
        return new TokenEndpointClient(new OutboundGuard(policy), Duration.ofSeconds(2), timeout, executor);
    }

    private TokenOutcome call(OutboundPolicy policy, String url, OAuthClient client, TokenRequest grant) {
        return client(policy, Duration.ofSeconds(5)).request(url, client, grant).join();
    }

    @Test
    void shouldNeverFollowARedirectNorSendTheCredentialsToItsTarget() throws IOException {
        final Stub other = stub(x -> Answer.json(200, "{\"access_token\":\"stolen\",\"token_type\":\"Bearer\"}"));
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            final Stub redirecting = stub(x -> new Answer(status, "", Map.of("Location", other.url("/token"))));
            final TokenOutcome outcome = call(
                    LOCAL,
                    redirecting.url("/token"),
                    BASIC,
                    TokenRequest.authorizationCode("the-code", "http://hub/cb", "the-verifier"));
            assertEquals(new TokenOutcome.Redirected(status), outcome, "status " + status);
            assertEquals("redirect_refused", outcome.reason());
            assertFalse(outcome.retryable());
            assertEquals(1, redirecting.received.size());
        }
        assertEquals(List.of(), other.received, "the redirect target never heard from us");
    }

    @Test
    void shouldSendBasicClientAuthenticationFormEncoded() throws IOException {
        final Stub provider = stub(
                x -> Answer.json(
                        200,
                        "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"rt\",\"scope\":\"a b\"}"));
        final OAuthClient client = new OAuthClient("my app", "pa:ss&word", ClientAuthentication.BASIC);
        final TokenOutcome outcome = call(LOCAL, provider.url("/token"), client, TokenRequest.refreshToken("r 1"));
        final TokenResponse token =
                assertInstanceOf(TokenOutcome.Granted.class, outcome).token();
        assertEquals(new TokenResponse("at", "Bearer", 3600L, "rt", "a b"), token);
        assertEquals(List.of("a", "b"), token.scopes());
        final Received r = provider.received.get(0);
        assertEquals("POST", r.method);
        assertEquals("application/x-www-form-urlencoded", r.contentType);
        assertEquals(FormEncoding.basicAuthorization("my app", "pa:ss&word"), r.authorization);
        assertEquals("grant_type=refresh_token&refresh_token=r+1", r.body, "no credentials in the body with Basic");
    }

    @Test
    void shouldSendClientSecretPostInTheBody() throws IOException {
        final Stub provider = stub(x -> Answer.json(200, "{\"access_token\":\"at\",\"expires_in\":\"60\"}"));
        final OAuthClient client = new OAuthClient("app", "s e", ClientAuthentication.POST);
        final TokenOutcome outcome =
                call(LOCAL, provider.url("/token"), client, TokenRequest.clientCredentials(List.of("read", "write")));
        assertEquals(
                60L,
                assertInstanceOf(TokenOutcome.Granted.class, outcome).token().expiresIn());
        final Received r = provider.received.get(0);
        assertNull(r.authorization);
        assertEquals("grant_type=client_credentials&scope=read+write&client_id=app&client_secret=s+e", r.body);
    }

    @Test
    void shouldSendTheCodeExchangeWithItsVerifier() throws IOException {
        final Stub provider = stub(x -> Answer.json(200, "{\"access_token\":\"at\"}"));
        call(LOCAL, provider.url("/token"), BASIC, TokenRequest.authorizationCode("c", "http://hub/cb?x=1", "v"));
        assertEquals(
                "grant_type=authorization_code&code=c&redirect_uri=http%3A%2F%2Fhub%2Fcb%3Fx%3D1&code_verifier=v",
                provider.received.get(0).body);
    }

    @Test
    void shouldRejectAResponseWithoutAccessToken() throws IOException {
        for (String body :
                new String[] {"{\"token_type\":\"Bearer\"}", "{\"access_token\":\"\"}", "[1]", "not json", ""}) {
            final Stub provider = stub(x -> Answer.json(200, body));
            final TokenOutcome outcome = call(LOCAL, provider.url("/token"), BASIC, TokenRequest.refreshToken("r"));
            assertEquals(new TokenOutcome.Unavailable("answer_without_access_token"), outcome, body);
        }
    }

    @Test
    void shouldPassOnlyRfc6749ErrorCodes() throws IOException {
        final Stub grant =
                stub(x -> Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"secret rt-123\"}"));
        assertEquals(
                new TokenOutcome.Refused(400, "invalid_grant"),
                call(LOCAL, grant.url("/token"), BASIC, TokenRequest.refreshToken("r")));
        final Stub crafted = stub(x -> Answer.json(401, "{\"error\":\"<script>alert(1)</script> rt-123\"}"));
        assertEquals(
                new TokenOutcome.Refused(401, "http_401"),
                call(LOCAL, crafted.url("/token"), BASIC, TokenRequest.refreshToken("r")));
        final Stub custom = stub(x -> Answer.json(400, "{\"error\":\"invalid_token_but_not_rfc\"}"));
        assertEquals(
                new TokenOutcome.Refused(400, "http_400"),
                call(LOCAL, custom.url("/token"), BASIC, TokenRequest.refreshToken("r")));
        final Stub down = stub(x -> Answer.json(503, "{\"error\":\"temporarily_unavailable\"}"));
        final TokenOutcome unavailable = call(LOCAL, down.url("/token"), BASIC, TokenRequest.refreshToken("r"));
        assertEquals(new TokenOutcome.Unavailable("temporarily_unavailable"), unavailable);
        assertTrue(unavailable.retryable());
        final Stub busy = stub(x -> Answer.json(429, "{\"error\":\"slow down, you\"}"));
        assertEquals(
                new TokenOutcome.Unavailable("http_429"),
                call(LOCAL, busy.url("/token"), BASIC, TokenRequest.refreshToken("r")));
    }

    @Test
    void shouldSendNothingWhereTheGuardRefuses() throws IOException {
        final Stub provider = stub(x -> Answer.json(200, "{\"access_token\":\"at\"}"));
        assertEquals(
                new TokenOutcome.Blocked("insecure_url"),
                call(OutboundPolicy.secure(), provider.url("/token"), BASIC, TokenRequest.refreshToken("r")));
        assertEquals(
                new TokenOutcome.Blocked("address_not_allowed"),
                call(
                        new OutboundPolicy(true, false, true, true),
                        provider.url("/token"),
                        BASIC,
                        TokenRequest.refreshToken("r")));
        assertEquals(
                new TokenOutcome.Blocked("invalid_url"),
                call(LOCAL, "http://bad url/{entity_id}", BASIC, TokenRequest.refreshToken("r")));
        assertEquals(List.of(), provider.received);
    }

    @Test
    void shouldTimeOutAsARetryableFailure() throws IOException {
        final Stub slow = stub(x -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.json(200, "{\"access_token\":\"late\"}");
        });
        final TokenOutcome outcome = client(LOCAL, Duration.ofMillis(200))
                .request(slow.url("/token"), BASIC, TokenRequest.refreshToken("r"))
                .join();
        assertEquals(new TokenOutcome.Unavailable("timeout"), outcome);
    }

    @Test
    void shouldRefuseAnOversizedAnswer() throws IOException {
        final Stub huge = stub(x -> Answer.json(200, "{\"access_token\":\"" + "a".repeat(100_000) + "\"}"));
        assertEquals(
                new TokenOutcome.Unavailable("answer_too_large"),
                call(LOCAL, huge.url("/token"), BASIC, TokenRequest.refreshToken("r")));
    }

    @Test
    void shouldAnswerConnectFailedWhenNobodyListens() throws IOException {
        // Nothing was sent: a refresh token in the request is not spent (the refresher may present it again).
        final Stub gone = stub(x -> Answer.json(200, "{}"));
        final String url = gone.url("/token");
        gone.server.stop(0);
        assertEquals(
                new TokenOutcome.Unavailable("connect_failed"),
                call(LOCAL, url, BASIC, TokenRequest.refreshToken("r")));
    }

    private record Received(String method, String path, String authorization, String contentType, String body) {}

    private record Answer(int status, String body, Map<String, String> headers) {
        static Answer json(int status, String body) {
            return new Answer(status, body, Map.of("Content-Type", "application/json"));
        }
    }

    private static final class Stub {
        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();

        Stub(HttpServer server) {
            this.server = server;
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }
    }
}
