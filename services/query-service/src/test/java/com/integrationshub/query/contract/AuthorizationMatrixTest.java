package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static com.integrationshub.query.contract.ProblemAssert.assertProblemJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.runtime.security.JwtVerifier;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Who may call what (API.md, Conventions): every endpoint of the Integrations, Mappings and org's-view sections with
 * no token, a bad signature, an expired token, another org's token and an org token on admin endpoints. A refused
 * write changes nothing.
 */
class AuthorizationMatrixTest {

    private static final String NAME = "Guarded";
    private static final String ORG = "org-a";
    private static final String OTHER_ORG = "org-b";

    /** Who may call an endpoint: an admin only, or an admin and the org named in the path. */
    enum Scope {
        ADMIN,
        ORG
    }

    /** One endpoint of API.md with a body that would succeed if the caller were allowed. */
    record Endpoint(String method, String path, String body, Scope scope) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every endpoint of the Integrations, Mappings and org's-view sections. */
    static final List<Endpoint> ENDPOINTS = List.of(
            // method    path                                                    body
            //        who
            new Endpoint(
                    "POST", "/v1/integrations", "{\"name\": \"Intruder\", \"auth_scheme\": \"NO_AUTH\"}", Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded", null, Scope.ADMIN),
            new Endpoint("PATCH", "/v1/integrations/Guarded", "{\"description\": \"hijacked\"}", Scope.ADMIN),
            new Endpoint(
                    "PUT",
                    "/v1/integrations/Guarded/defaults",
                    "{\"config\": {\"base_url\": \"https://evil\"}}",
                    Scope.ADMIN),
            new Endpoint("DELETE", "/v1/integrations/Guarded", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded/history", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded/global", null, Scope.ADMIN),
            new Endpoint("PUT", "/v1/integrations/Guarded/mappings/org-a", "{\"entity_id\": \"evil\"}", Scope.ADMIN),
            new Endpoint("PUT", "/v1/integrations/Guarded/mappings/org-c", "{\"entity_id\": \"evil\"}", Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded/mappings", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded/mappings?entity_id=tenant-a", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/integrations/Guarded/mappings/org-a", null, Scope.ADMIN),
            new Endpoint("DELETE", "/v1/integrations/Guarded/mappings/org-a", null, Scope.ADMIN),
            new Endpoint("GET", "/v1/orgs/org-a/integrations/Guarded", null, Scope.ORG),
            new Endpoint("GET", "/v1/orgs/org-a/integrations", null, Scope.ORG));

    private static HubInstance hub;
    private static Http admin;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Guarded", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret"}]}""").status(), "create Guarded");
        assertEquals(
                200,
                admin.put(
                                "/v1/integrations/Guarded/defaults",
                                "{\"config\": {\"base_url\": \"https://guarded\", \"api_key\": \"guarded-secret\"}}")
                        .status(),
                "defaults");
        assertEquals(
                201,
                admin.put("/v1/integrations/Guarded/mappings/org-a", "{\"entity_id\": \"tenant-a\"}")
                        .status(),
                "map org-a");
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    /** A credential and what it must get on each kind of endpoint (0: the endpoint's own success). */
    record Credential(String label, String authorization, int onAdmin, int onOwnOrg) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Credential> refusedCredentials() {
        return List.of(
                new Credential("no token", null, 401, 401),
                new Credential("bad signature", "Bearer " + TestTokens.badSignature(), 401, 401),
                new Credential("expired", "Bearer " + TestTokens.expired(), 401, 401),
                new Credential("not a JWT", "Bearer not-a-jwt", 401, 401),
                new Credential("empty bearer", "Bearer ", 401, 401),
                new Credential("Basic scheme", "Basic YWRtaW46YWRtaW4=", 401, 401),
                new Credential("unsigned alg none", "Bearer " + unsigned(), 401, 401),
                new Credential(
                        "no role and no org",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .subject("nobody")
                                        .claim("roles", List.of("user"))
                                        .expirationTime(inAnHour())
                                        .build()),
                        401,
                        401),
                new Credential(
                        "no subject",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .claim("roles", List.of("admin"))
                                        .expirationTime(inAnHour())
                                        .build()),
                        401,
                        401),
                new Credential(
                        "not yet valid",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .subject("admin-2")
                                        .claim("roles", List.of("admin"))
                                        .notBeforeTime(inAnHour())
                                        .expirationTime(inAnHour())
                                        .build()),
                        401,
                        401),
                new Credential(
                        "no exp",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .subject("admin-2")
                                        .claim("roles", List.of("admin"))
                                        .issueTime(new Date())
                                        .build()),
                        401,
                        401),
                new Credential(
                        "iat a year ahead",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .subject("admin-2")
                                        .claim("roles", List.of("admin"))
                                        .issueTime(Date.from(Instant.now().plus(Duration.ofDays(365))))
                                        .expirationTime(Date.from(Instant.now()
                                                .plus(Duration.ofDays(365))
                                                .plusSeconds(60)))
                                        .build()),
                        401,
                        401),
                new Credential(
                        "a lifetime over the maximum (25 h)",
                        "Bearer "
                                + signed(new JWTClaimsSet.Builder()
                                        .subject("admin-2")
                                        .claim("roles", List.of("admin"))
                                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(25))))
                                        .build()),
                        401,
                        401),
                new Credential("the instances' internal token", "Bearer " + internal(), 401, 401),
                new Credential(
                        "org token whose org_id is a raw path form", "Bearer " + TestTokens.org("%6Frg-a"), 401, 401),
                new Credential("org token of the path's org", "Bearer " + TestTokens.org(ORG), 403, 0),
                new Credential("another org's token", "Bearer " + TestTokens.org(OTHER_ORG), 403, 403),
                new Credential("org token with a near-miss org", "Bearer " + TestTokens.org("org-a2"), 403, 403));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Credential credential : refusedCredentials()) {
                int expected = endpoint.scope() == Scope.ADMIN ? credential.onAdmin() : credential.onOwnOrg();
                if (expected != 0) cases.add(Arguments.of(endpoint, credential, expected));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {1} → {2}")
    @MethodSource("matrix")
    void shouldRefuseCallersThatMayNotCallTheEndpointAndChangeNothing(
            Endpoint endpoint, Credential credential, int status) {
        boolean write = !endpoint.method().equals("GET");
        String before = write ? snapshot() : "";

        var reply = call(endpoint, credential.authorization());

        assertProblem(reply, status, status == 401 ? "unauthorized" : "forbidden");
        assertTrue(
                !reply.body().contains("guarded-secret") && !reply.body().contains("https://guarded"),
                "a refused call reveals nothing of the resource: " + reply.body());
        if (write) assertEquals(before, snapshot(), "a refused " + endpoint + " changes nothing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/orgs/org-a/integrations/Guarded", "/v1/orgs/org-a/integrations"})
    void shouldServeTheOrgsOwnTokenOnItsOrgEndpoints(String path) {
        var reply = admin.as(TestTokens.org(ORG)).get(path);
        assertEquals(200, reply.status(), () -> "expected 200 for org-a's own token on " + path + ", got " + reply);
        assertTrue(reply.body().contains("tenant-a"), "org-a sees its own mapping: " + reply.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/orgs/org-a/integrations/Guarded", "/v1/orgs/org-a/integrations"})
    void shouldServeAnAdminOnOrgEndpoints(String path) {
        var reply = admin.get(path);
        assertEquals(200, reply.status(), () -> "expected 200 for an admin on " + path + ", got " + reply);
    }

    @Test
    void shouldServeEveryAdminEndpointToAnAdmin() {
        // Reads only: the writes' success paths are the contract tests' business.
        for (Endpoint endpoint : ENDPOINTS) {
            if (!endpoint.method().equals("GET")) continue;
            var reply = call(endpoint, "Bearer " + TestTokens.admin());
            assertEquals(200, reply.status(), () -> "expected 200 for an admin on " + endpoint + ", got " + reply);
        }
    }

    @Test
    void shouldServeHealthWithoutAToken() {
        var open = admin.as(null).get("/health");
        assertEquals(200, open.status(), () -> "expected /health open without a token, got " + open);
        var withBadToken = admin.as(TestTokens.badSignature()).get("/health");
        assertEquals(
                200, withBadToken.status(), () -> "expected /health open even with a bad token, got " + withBadToken);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1/orgs/org-a/../../v1/integrations",
                "/v1/orgs/org-a/%2E%2E/%2E%2E/v1/integrations",
                "/v1/orgs/org-a/..%2F..%2Fv1%2Fintegrations",
                "/v1/orgs/org-a/integrations/../../../v1/integrations/Guarded/global",
                "/v1/orgs/org-a//v1/integrations",
                "/v1/orgs/org-a%2F..%2Forg-b/integrations/Guarded",
                "/v1/orgs/%6Frg-b/integrations/Guarded",
                "/v1/orgs/org-a%2Forg-b/integrations",
                "/v1/orgs/%2E%2E/integrations"
            })
    void shouldNotLetAnOrgTokenReachOtherResourcesThroughTrickyPaths(String path) {
        var reply = admin.as(TestTokens.org(ORG)).get(path);
        assertNotEquals(200, reply.status(), () -> "an org token must not read " + path + ", got " + reply);
        assertTrue(
                reply.status() >= 400 && reply.status() < 500, () -> "expected a 4xx for " + path + ", got " + reply);
        assertProblemJson(reply);
        assertTrue(!reply.body().contains("guarded-secret"), "no secret through " + path + ": " + reply.body());
    }

    @Test
    void shouldCompareTheOrgOfATokenWithTheDecodedPathSegment() {
        // %6F is 'o': the controllers read org-a, so org-a's token may, org-b's may not.
        var own = admin.as(TestTokens.org(ORG)).get("/v1/orgs/%6Frg-a/integrations/Guarded");
        assertEquals(200, own.status(), () -> "org-a's token on its own org, percent-encoded: " + own);
        assertTrue(own.body().contains("tenant-a"), own.body());
        var other = admin.as(TestTokens.org(OTHER_ORG)).get("/v1/orgs/%6Frg-a/integrations/Guarded");
        assertProblem(other, 403, "forbidden");
        assertTrue(!other.body().contains("guarded-secret") && !other.body().contains("tenant-a"), other.body());
    }

    @Test
    void shouldOpenInternalEndpointsToTheInstancesInternalTokenOnly() {
        String path = "/internal/views/integrations?key=Guarded";
        assertProblem(call(new Endpoint("GET", path, null, Scope.ADMIN), null), 401, "unauthorized");
        assertProblem(
                call(new Endpoint("GET", path, null, Scope.ADMIN), "Bearer " + TestTokens.admin()), 403, "forbidden");
        assertProblem(
                call(new Endpoint("GET", path, null, Scope.ADMIN), "Bearer " + TestTokens.org(ORG)), 403, "forbidden");
        var internal = call(new Endpoint("GET", path, null, Scope.ADMIN), "Bearer " + internal());
        assertEquals(200, internal.status(), () -> "the internal token on " + path + ": " + internal);
        assertTrue(internal.body().contains("Guarded"), internal.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/beans", "/threaddump", "/routes", "/loggers", "/env", "/info", "/refresh", "/prometheus"})
    void shouldNotAnswerManagementEndpointsWithoutAnAdminToken(String path) {
        var none = admin.as(null).get(path);
        assertEquals(401, none.status(), () -> path + " without a token: " + none);
        var org = admin.as(TestTokens.org(ORG)).get(path);
        assertEquals(403, org.status(), () -> path + " with an org token: " + org);
        var posted = admin.as(null).post(path, "{}");
        assertEquals(401, posted.status(), () -> "POST " + path + " without a token: " + posted);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/health/../beans",
                "/health/%2E%2E/beans",
                "/health/..%2Fbeans",
                "/health%2F..%2Fbeans",
                "/v1/oauth/callback/../../../beans"
            })
    void shouldNotOpenOtherEndpointsThroughPathsUnderTheOpenOnes(String path) {
        var reply = admin.as(null).get(path);
        assertNotEquals(200, reply.status(), () -> path + " without a token: " + reply);
        assertTrue(!reply.body().contains("beans") && !reply.body().contains("Guarded"), path + ": " + reply.body());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/internal/../v1/integrations",
                "/internal/views/..%2F..%2Fv1%2Fintegrations",
                "/internal/%2E%2E/v1/integrations/Guarded/global"
            })
    void shouldNotLetTheInternalTokenOutOfInternalEndpoints(String path) {
        var reply = call(new Endpoint("GET", path, null, Scope.ADMIN), "Bearer " + internal());
        assertNotEquals(200, reply.status(), () -> path + " with the internal token: " + reply);
        assertTrue(!reply.body().contains("guarded-secret") && !reply.body().contains("https://guarded"), reply.body());
    }

    @Test
    void shouldAnswerManagementEndpointsToAnAdmin() {
        var beans = admin.get("/beans");
        assertEquals(200, beans.status(), () -> "/beans for an admin: " + beans);
    }

    @Test
    void shouldShowHealthDetailsOnlyToAnAdminToken() {
        var open = admin.as(null).get("/health");
        assertEquals(200, open.status(), open::toString);
        assertEquals("UP", open.json().path("status").asText(), open.body());
        assertTrue(
                !open.json().has("details") && !open.body().contains("kafka"),
                "no details without a token: " + open.body());
        var org = admin.as(TestTokens.org(ORG)).get("/health");
        assertTrue(!org.json().has("details"), "no details for an org token: " + org.body());
        var withAdmin = admin.get("/health");
        assertEquals(200, withAdmin.status(), withAdmin::toString);
        assertTrue(
                withAdmin.json().has("details") && withAdmin.body().contains("kafka"),
                "details for an admin token: " + withAdmin.body());
    }

    @Test
    void shouldAnswerEvery401WithAWwwAuthenticateBearerChallenge() {
        var reply = admin.as(null).get("/v1/integrations");
        assertProblem(reply, 401, "unauthorized");
        assertEquals("Bearer", reply.header("WWW-Authenticate"), "WWW-Authenticate challenge");
    }

    // ---- fixtures ----

    private static Http.Reply call(Endpoint endpoint, String authorization) {
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        return admin.as(null).send(endpoint.method(), endpoint.path(), endpoint.body(), headers);
    }

    /** What an admin sees of the guarded resources: any change by a refused call shows here. */
    private static String snapshot() {
        var integration = admin.get("/v1/integrations/Guarded");
        var global = admin.get("/v1/integrations/Guarded/global");
        var mappings = admin.get("/v1/integrations/Guarded/mappings");
        var all = admin.get("/v1/integrations");
        return integration.status() + " " + integration.etag() + " " + integration.body() + "\n" + global.body() + "\n"
                + mappings.body() + "\n" + all.body();
    }

    private static Date inAnHour() {
        return Date.from(Instant.now().plusSeconds(3600));
    }

    private static String signed(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token as one instance shows another (InternalToken's claims), even claiming admin. */
    private static String internal() {
        return signed(new JWTClaimsSet.Builder()
                .subject("query-service")
                .audience(JwtVerifier.INTERNAL_AUDIENCE)
                .claim("roles", List.of("admin"))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
    }

    private static String unsigned() {
        return new PlainJWT(
                        new PlainHeader(),
                        new JWTClaimsSet.Builder()
                                .subject("admin-1")
                                .claim("roles", List.of("admin"))
                                .expirationTime(inAnHour())
                                .build())
                .serialize();
    }
}
