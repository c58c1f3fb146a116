package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hub.security settings reach the running service: with an issuer, an audience and a 1 h maximum lifetime
 * configured, only tokens that carry them and live that long at most are served.
 */
class ConfiguredTokenRulesTest {

    private static final String ISSUER = "https://idp.example";
    private static final String AUDIENCE = "integrations-hub";

    private static HubInstance hub;
    private static Http http;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of(
                "hub.security.issuer",
                ISSUER,
                "hub.security.audience",
                AUDIENCE,
                "hub.security.max-token-lifetime",
                "1h")));
        http = new Http(hub.url(), token(b -> b));
        Await.ready(http);
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldServeATokenWithTheConfiguredIssuerAndAudience() {
        var reply = http.get("/v1/integrations");
        assertEquals(200, reply.status(), reply::toString);
    }

    @Test
    void shouldRefuseAForeignIssuerOrAudienceOrNone() {
        assertProblem(
                http.as(token(b -> b.issuer("https://evil.example"))).get("/v1/integrations"), 401, "unauthorized");
        assertProblem(http.as(token(b -> b.audience("another-service"))).get("/v1/integrations"), 401, "unauthorized");
        assertProblem(http.as(TestTokens.admin()).get("/v1/integrations"), 401, "unauthorized");
    }

    @Test
    void shouldRefuseALifetimeOverTheConfiguredMaximum() {
        assertProblem(
                http.as(token(b -> b.issueTime(new Date())
                                .expirationTime(Date.from(Instant.now().plusSeconds(2 * 3600)))))
                        .get("/v1/integrations"),
                401,
                "unauthorized");
    }

    /** An admin token with the configured iss and aud, valid 30 minutes, changed by `change`. */
    private static String token(UnaryOperator<JWTClaimsSet.Builder> change) {
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder()
                        .subject("admin-iss")
                        .claim("roles", List.of("admin"))
                        .issuer(ISSUER)
                        .audience(AUDIENCE)
                        .expirationTime(Date.from(Instant.now().plusSeconds(1800))))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
