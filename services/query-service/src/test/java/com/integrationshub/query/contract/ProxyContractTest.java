package com.integrationshub.query.contract;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.upstream.UpstreamStandIn;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy (API.md, "Calling the provider through the hub"): for each auth scheme the provider receives the org's
 * real credentials and never the caller's hub token or cookies, query and body intact, and its answer comes back
 * intact; hub-made problems carry X-Hub-Proxy: problem and nothing reaches the provider.
 */
class ProxyContractTest {

    private static final String ORG = "org-p";

    private static UpstreamStandIn upstream;
    private static OAuthProviderStandIn provider;
    private static HubInstance hub;
    private static Http admin;
    private static Http org;

    @BeforeAll
    static void start() {
        upstream = UpstreamStandIn.start();
        provider = OAuthProviderStandIn.start();
        hub = HubInstance.start(
                HubInstance.Deployment.fresh(Map.of("hub.proxy.read-timeout", "2s")),
                HubInstance.newStateDir(),
                HubInstance.freePort());
        admin = new Http(hub.url(), TestTokens.admin());
        org = admin.as(TestTokens.org(ORG));
        Await.ready(admin);
        integration("Bearer", "BEARER_TOKEN", null, null);
        connect("Bearer", "BEARER_TOKEN", "{\"token\": \"bearer-secret\"}");
        integration("Keyed", "API_KEY", "{\"X-Api-Key\": \"{api_key}\"}", null);
        connect("Keyed", "API_KEY", "{\"api_key\": \"key-secret\"}");
        integration("Basic", "BASIC", null, null);
        connect("Basic", "BASIC", "{\"username\": \"u\", \"password\": \"p w\"}");
        integration("Open", "NO_AUTH", null, null);
        integration("Unconnected", "BEARER_TOKEN", null, null);

        provider.registerClient("proxy-client", "proxy-secret", ClientAuth.BASIC, hub.url() + "/v1/oauth/callback");
        assertEquals(
                201,
                admin.post("/v1/oauth/connections", """
                {"connection_name": "proxy-oauth", "client_id": "proxy-client", "client_secret": "proxy-secret",
                 "authorization_url": "%s", "token_url": "%s", "scopes": ["read"]}""".formatted(provider.url("/authorize"), provider.url("/token")))
                        .status());
        integration("OAuthed", "OAUTH2", null, "proxy-oauth");
        var connect = org.post(
                "/v1/orgs/" + ORG + "/integrations/OAuthed/connect", "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        URI back = URI.create(
                provider.authorize(query(connect.json().get("redirect_url").asText())));
        var done = new Http(hub.url(), null).get("/v1/oauth/callback?" + back.getRawQuery());
        assertEquals(200, done.status(), done.toString());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
        if (provider != null) provider.close();
        if (upstream != null) upstream.close();
    }

    @BeforeEach
    void clear() {
        upstream.demandNothing();
        upstream.clear();
    }

    @Test
    void shouldSendTheBearerTokenAndNotTheCallersTokenOrCookies() {
        upstream.demand("authorization", "Bearer bearer-secret"::equals);
        var answer = org.send(
                "GET",
                "/v1/orgs/" + ORG + "/integrations/Bearer/proxy/tickets/7?q=a%20b&q=c",
                null,
                Map.of(
                        "Cookie",
                        "hub-session=1",
                        "X-Custom",
                        "kept",
                        "Proxy-Authorization",
                        "Basic aHViOmh1Yg==",
                        "TE",
                        "trailers"));
        assertEquals(200, answer.status(), answer.toString());
        var got = upstream.received().get(0);
        assertEquals("GET", got.method());
        assertEquals("/api/tickets/7", got.rawPath());
        assertEquals("tenant=t1&q=a%20b&q=c", got.rawQuery(), "the base's query, then the caller's");
        assertEquals("Bearer bearer-secret", got.header("authorization"));
        assertNull(got.header("cookie"), "the caller's cookies stay with the hub");
        assertEquals("kept", got.header("x-custom"));
        assertNull(got.header("proxy-authorization"), "hop-by-hop");
        assertNull(got.header("te"), "hop-by-hop");
        assertEquals("yes", answer.header("X-Upstream"), "the provider's headers come back");
        assertNull(answer.header("Set-Cookie"), "the provider's cookies do not reach the caller");
        assertNull(answer.header("X-Hub-Proxy"));
        var metrics = admin.get("/prometheus");
        assertEquals(200, metrics.status());
        assertTrue(
                metrics.body()
                        .contains("hub_proxy_upstream_seconds_count{integration=\"Bearer\",status_class=\"2xx\"}"),
                "upstream calls by integration and status class");
    }

    @Test
    void shouldRenderCredentialHeadersForAnApiKeyAndPassBodiesBothWays() {
        upstream.demand("x-api-key", "key-secret"::equals);
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            upstream.clear();
            String body = "{\"subject\": \"" + method + "\"}";
            var answer =
                    org.send(method, "/v1/orgs/" + ORG + "/integrations/Keyed/proxy/items?status=201", body, Map.of());
            assertEquals(201, answer.status(), method + ": " + answer);
            assertEquals(body, answer.body(), method);
            assertEquals("application/json", answer.contentType(), method);
            var got = upstream.received().get(0);
            assertEquals(method, got.method());
            assertEquals(body, got.bodyText(), method);
            assertNull(got.header("authorization"), "the hub token is not forwarded: " + method);
        }
    }

    @Test
    void shouldSendBasicCredentialsAndNoneForNoAuth() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("u:p w".getBytes(StandardCharsets.UTF_8));
        upstream.demand("authorization", basic::equals);
        assertEquals(
                200, org.get("/v1/orgs/" + ORG + "/integrations/Basic/proxy/me").status());
        upstream.demandNothing();
        upstream.clear();
        var open = org.send("GET", "/v1/orgs/" + ORG + "/integrations/Open/proxy", null, Map.of("X-None", "1"));
        assertEquals(200, open.status(), open.toString());
        assertEquals("/api/", upstream.received().get(0).rawPath(), "an empty path is <base>/");
        assertNull(upstream.received().get(0).header("authorization"));
    }

    @Test
    void shouldSendTheOrgsOAuthAccessToken() {
        upstream.demand("authorization", v -> v.startsWith("Bearer ") && provider.accessTokenValid(v.substring(7)));
        var answer = org.post("/v1/orgs/" + ORG + "/integrations/OAuthed/proxy/notes", "{\"n\": 1}");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("{\"n\": 1}", answer.body());
        assertEquals(1, upstream.received().size());
    }

    @Test
    void shouldReadTheBaseUrlFromTheIntegrationsProxyBaseUrlKey() {
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Rooted", "auth_scheme": "NO_AUTH", "proxy_base_url_key": "api_root",
                 "config_schema": [{"key": "api_root", "type": "string"}, {"key": "base_url", "type": "string"}]}""").status());
        assertEquals(
                "base_url",
                admin.get("/v1/integrations/Open")
                        .json()
                        .get("proxy_base_url_key")
                        .asText(),
                "the default");
        assertEquals(
                "api_root",
                admin.get("/v1/integrations/Rooted")
                        .json()
                        .get("proxy_base_url_key")
                        .asText());
        assertEquals(
                200,
                admin.put("/v1/integrations/Rooted/defaults", """
                {"config": {"api_root": "%s/root", "base_url": "%s/base"}}""".formatted(upstream.url(), upstream.url()))
                        .status());
        assertEquals(
                200, org.get("/v1/orgs/" + ORG + "/integrations/Rooted/proxy/x").status());
        assertEquals("/root/x", upstream.received().get(0).rawPath());
        var patched = admin.patch("/v1/integrations/Rooted", "{\"proxy_base_url_key\": \"base_url\"}");
        assertEquals(200, patched.status(), patched.toString());
        assertEquals("base_url", patched.json().get("proxy_base_url_key").asText());
        upstream.clear();
        assertEquals(
                200, org.get("/v1/orgs/" + ORG + "/integrations/Rooted/proxy/x").status());
        assertEquals("/base/x", upstream.received().get(0).rawPath());
        var invalid = admin.patch("/v1/integrations/Rooted", "{\"proxy_base_url_key\": \"not a key\"}");
        assertEquals(422, invalid.status(), invalid.toString());
        assertTrue(invalid.body().contains("proxy_base_url_key"), invalid.body());
    }

    @Test
    void shouldSurviveAnOversizedHeaderAndAHeaderWithALineBreak() throws Exception {
        var big = org.send(
                "GET", "/v1/orgs/" + ORG + "/integrations/Open/proxy/x", null, Map.of("X-Big", "a".repeat(40_000)));
        assertTrue(big.status() >= 400 && big.status() < 500, big.toString());
        try (var socket = new java.net.Socket("127.0.0.1", hub.port())) {
            var out = socket.getOutputStream();
            out.write(("GET /v1/orgs/" + ORG + "/integrations/Open/proxy/x HTTP/1.1\r\nHost: localhost\r\n"
                            + "Authorization: Bearer " + TestTokens.org(ORG) + "\r\n"
                            + "X-Evil: a\rHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.getInputStream().readAllBytes();
        }
        for (var got : upstream.received()) {
            assertEquals("127.0.0.1:" + URI.create(upstream.url()).getPort(), got.header("host"));
            assertNull(got.header("x-evil"), "a header with a bare CR is not forwarded");
        }
        assertEquals(
                200,
                org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/still-up").status());
    }

    @Test
    void shouldAnswer502ForAnUnreachableProviderAnd504ForASlowOne() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        integration("Gone", "NO_AUTH", null, null);
        assertEquals(
                200,
                admin.put(
                                "/v1/integrations/Gone/defaults",
                                "{\"config\": {\"base_url\": \"http://127.0.0.1:" + closed + "\"}}")
                        .status());
        var gone = org.get("/v1/orgs/" + ORG + "/integrations/Gone/proxy/x");
        assertEquals(502, gone.status(), gone.toString());
        assertEquals("problem", gone.header("X-Hub-Proxy"));
        var slow = org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/slow/5000");
        assertEquals(504, slow.status(), slow.toString());
        assertEquals("problem", slow.header("X-Hub-Proxy"));
    }

    @Test
    void shouldReturnRedirectsWithoutFollowingThem() {
        var answer = org.get("/v1/orgs/" + ORG + "/integrations/Bearer/proxy/redirect");
        assertEquals(302, answer.status(), answer.toString());
        assertEquals("https://elsewhere.example/moved?x=1", answer.header("Location"));
        assertEquals(1, upstream.received().size());
    }

    @Test
    void shouldRefuseAnotherOrgsTokenBeforeCallingTheProvider() {
        var answer = admin.as(TestTokens.org("org-other")).get("/v1/orgs/" + ORG + "/integrations/Bearer/proxy/x");
        assertEquals(403, answer.status(), answer.toString());
        assertTrue(upstream.received().isEmpty());
    }

    @Test
    void shouldAnswerProblemsOfItsOwnMarkedAndInApiOrder() {
        var missing = org.get("/v1/orgs/" + ORG + "/integrations/Nope/proxy/x");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("problem", missing.header("X-Hub-Proxy"));
        var unconnected = org.get("/v1/orgs/" + ORG + "/integrations/Unconnected/proxy/x");
        assertEquals(409, unconnected.status(), unconnected.toString());
        assertEquals("problem", unconnected.header("X-Hub-Proxy"));
        assertTrue(unconnected.body().contains("not-authorized"), unconnected.body());
        assertTrue(upstream.received().isEmpty(), "nothing reaches the provider");
    }

    @Test
    void shouldRefuseAPrivateTargetAndDotSegments() {
        integration("Private", "NO_AUTH", null, null);
        assertEquals(
                200,
                admin.put("/v1/integrations/Private/defaults", "{\"config\": {\"base_url\": \"http://10.1.2.3/api\"}}")
                        .status());
        var refused = org.get("/v1/orgs/" + ORG + "/integrations/Private/proxy/x");
        assertEquals(422, refused.status(), refused.toString());
        assertEquals("problem", refused.header("X-Hub-Proxy"));
        for (String path : new String[] {"a/%2e%2e/%2e%2e/admin", "a/%2E%2E", "a%2f..%2fb"}) {
            var answer = org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/" + path);
            assertTrue(
                    answer.status() == 400 || answer.status() == 403 || answer.status() == 404, path + ": " + answer);
        }
        assertTrue(upstream.received().isEmpty(), "nothing reaches the provider");
        assertEquals(
                200,
                org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/still-up").status());
    }

    @Test
    void shouldStreamALargeDownloadWithoutHoldingIt() throws Exception {
        long size = 100L * 1024 * 1024;
        var request = HttpRequest.newBuilder(
                        URI.create(hub.url() + "/v1/orgs/" + ORG + "/integrations/Open/proxy/bytes/" + size))
                .header("Authorization", "Bearer " + TestTokens.org(ORG))
                .timeout(Duration.ofMinutes(5))
                .build();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long midway = -1;
        long read = 0;
        var answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = answer.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                read += n;
                if (midway < 0 && read >= size / 2) {
                    // Garbage goes; what the hub (in this JVM) still holds of the download stays.
                    System.gc();
                    midway = rt.totalMemory() - rt.freeMemory();
                }
            }
        }
        assertEquals(size, read);
        System.out.println("proxy download heap: before " + before / 1_048_576 + " MiB, halfway (after a GC) "
                + midway / 1_048_576 + " MiB");
        assertTrue(midway - before < size / 2, "the heap holds half the download or more");
    }

    @Test
    void shouldAnswerAHeadWithTheProvidersStatusAndHeadersAndNoBody() throws Exception {
        var head = org.send("HEAD", "/v1/orgs/" + ORG + "/integrations/Open/proxy/items?status=204", null, Map.of());
        assertEquals(204, head.status(), head.toString());
        assertEquals("yes", head.header("X-Upstream"), "the provider's headers come back");
        assertEquals("", head.body());
        assertNull(head.header("X-Hub-Proxy"));
        var got = upstream.received().get(0);
        assertEquals("HEAD", got.method(), "sent on as a HEAD");
        assertEquals("tenant=t1&status=204", got.rawQuery());

        upstream.clear();
        long size = 3L * 1024 * 1024;
        var download = org.send("HEAD", "/v1/orgs/" + ORG + "/integrations/Open/proxy/bytes/" + size, null, Map.of());
        assertEquals(200, download.status(), download.toString());
        assertEquals("application/octet-stream", download.contentType());
        assertEquals("", download.body(), "no body after a HEAD");
        assertEquals("HEAD", upstream.received().get(0).method());
        var straight = new Http(upstream.url(), null).send("HEAD", "/api/bytes/" + size, null, Map.of());
        assertEquals(
                straight.header("Content-Length"),
                download.header("Content-Length"),
                "the provider's Content-Length of a HEAD comes back as it sent it");
        assertEquals(
                200,
                org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/still-up").status(),
                "the connection is usable after the HEAD");
    }

    @Test
    void shouldStreamAnUploadLargerThanTheReplayLimitIntactWithOrWithoutLength() throws Exception {
        upstream.demand("x-api-key", "key-secret"::equals);
        byte[] upload = generated(6 * 1024 * 1024 + 17);
        URI uri = URI.create(hub.url() + "/v1/orgs/" + ORG + "/integrations/Keyed/proxy/files?status=201");

        var sized = CLIENT.send(upload(uri, "POST", HttpRequest.BodyPublishers.ofByteArray(upload)), ofBytes());
        assertEquals(201, sized.statusCode());
        var got = upstream.received().get(0);
        assertEquals(digest(upload), digest(got.body()), "the upload arrived intact");
        assertEquals(String.valueOf(upload.length), got.header("content-length"), "its length is sent on");
        assertEquals("key-secret", got.header("x-api-key"));
        assertEquals(digest(upload), digest(sized.body()), "the provider's echo came back intact");

        upstream.clear();
        var chunked = CLIENT.send(upload(uri, "PUT", chunks(upload)), ofBytes());
        assertEquals(201, chunked.statusCode());
        got = upstream.received().get(0);
        assertEquals("PUT", got.method());
        assertEquals(digest(upload), digest(got.body()), "the chunked upload arrived intact");
        assertEquals(digest(upload), digest(chunked.body()));
    }

    @Test
    void shouldPassTheProvidersRefusalOfAStreamedUploadBackWithoutARetry() throws Exception {
        upstream.demand("authorization", v -> false);
        int refreshes = provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN);
        byte[] upload = generated(4 * 1024 * 1024);
        URI uri = URI.create(hub.url() + "/v1/orgs/" + ORG + "/integrations/OAuthed/proxy/files");

        var refused = CLIENT.send(upload(uri, "POST", HttpRequest.BodyPublishers.ofByteArray(upload)), ofBytes());

        assertEquals(401, refused.statusCode(), "the provider's 401 comes back");
        assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(null));
        assertNull(refused.headers().firstValue("X-Hub-Proxy").orElse(null), "the provider's answer, not the hub's");
        var calls = upstream.received();
        assertEquals(1, calls.size(), "a body larger than hub.proxy.max-replay-bytes is sent once, never again");
        assertEquals(digest(upload), digest(calls.get(0).body()));
        assertTrue(calls.get(0).header("authorization").startsWith("Bearer "), "the org's token was sent");
        assertEquals(refreshes, provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN), "no refresh for nothing");
    }

    @Test
    void shouldAnswer413WhenAnUploadPassesTheServersLimitWhileStreaming() throws Exception {
        upstream.demand("x-api-key", "key-secret"::equals);
        byte[] upload = generated(17 * 1024 * 1024); // micronaut.server.max-request-size: 16 MiB
        URI uri = URI.create(hub.url() + "/v1/orgs/" + ORG + "/integrations/Keyed/proxy/files?status=201");
        for (var body : List.of(HttpRequest.BodyPublishers.ofByteArray(upload), chunks(upload))) {
            var refused = CLIENT.send(upload(uri, "POST", body), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, refused.statusCode(), refused.body());
            assertEquals("problem", refused.headers().firstValue("X-Hub-Proxy").orElse(null));
            assertTrue(refused.body().contains("payload-too-large"), refused.body());
        }
        // The stand-in records a request once it has read its body whole: a cut one never is.
        assertTrue(upstream.received().isEmpty(), "the provider never got a whole body");
        upstream.demandNothing();
        assertEquals(
                200,
                org.get("/v1/orgs/" + ORG + "/integrations/Open/proxy/still-up").status());
    }

    private static void integration(String name, String scheme, String headers, String connection) {
        String body = """
                {"name": "%s", "auth_scheme": "%s", "config_schema": [{"key": "base_url", "type": "string"}]%s%s}""".formatted(
                        name,
                        scheme,
                        headers == null ? "" : ", \"credential_headers\": " + headers,
                        connection == null ? "" : ", \"oauth_connection\": \"" + connection + "\"");
        assertEquals(201, admin.post("/v1/integrations", body).status(), name);
        assertEquals(
                200,
                admin.put(
                                "/v1/integrations/" + name + "/defaults",
                                "{\"config\": {\"base_url\": \"" + upstream.url() + "/api/?tenant=t1\"}}")
                        .status(),
                name);
    }

    private static void connect(String name, String scheme, String data) {
        var answer = org.post(
                "/v1/orgs/" + ORG + "/integrations/" + name + "/connect",
                "{\"auth_scheme\": \"" + scheme + "\", \"data\": " + data + "}");
        assertEquals(201, answer.status(), answer.toString());
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpRequest upload(URI uri, String method, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + TestTokens.org(ORG))
                .header("Content-Type", "application/octet-stream")
                .timeout(Duration.ofMinutes(2))
                .method(method, body)
                .build();
    }

    private static HttpResponse.BodyHandler<byte[]> ofBytes() {
        return HttpResponse.BodyHandlers.ofByteArray();
    }

    /** The bytes with no length: the JDK client sends them chunked. */
    private static HttpRequest.BodyPublisher chunks(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    /** Bytes that differ from one position to the next (a lost or moved chunk changes the digest). */
    private static byte[] generated(int size) {
        byte[] out = new byte[size];
        long x = 88172645463325252L;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
        return out;
    }

    private static String digest(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
