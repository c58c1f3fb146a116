package com.integrationshub.testkit.oauth1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.domain.oauth1.OAuth1Client;
import com.integrationshub.domain.oauth1.OAuth1Signer;
import com.integrationshub.domain.oauth1.OAuth1Token;
import com.integrationshub.domain.oauth1.Parameter;
import com.integrationshub.domain.oauth1.RequestToSign;
import com.integrationshub.domain.oauth1.SignatureMethod;
import com.integrationshub.domain.oauth1.SignedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's own check against the hub's signer (two implementations agreeing), and against published vectors
 * (RFC 5849 §1.2, Twitter's "Creating a signature") without the hub's code.
 */
class OAuth1ProviderStandInTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String CALLBACK = "http://127.0.0.1:9/v1/oauth/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final AtomicInteger nonces = new AtomicInteger();
    private final OAuth1Signer signer =
            new OAuth1Signer(Clock.fixed(NOW, ZoneOffset.UTC), () -> "nonce-" + nonces.incrementAndGet());
    private OAuth1ProviderStandIn provider;

    @BeforeEach
    void start() {
        provider = OAuth1ProviderStandIn.start(Clock.fixed(NOW, ZoneOffset.UTC));
        provider.registerConsumer("hmac-app", "s3cret&with spaces+", "HMAC-SHA1");
        provider.registerConsumer("sha256-app", "sha256-secret", "HMAC-SHA256");
        provider.registerConsumer("plain-app", "plain-secret", "PLAINTEXT");
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    // ------------------------------------------------------------------------------------------ the flow

    @Test
    void shouldRunTheThreeLeggedFlowSignedByTheHubsSigner() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);

        HttpResponse<String> temporary = send(
                "POST",
                provider.requestTokenUrl(),
                List.of(),
                signer.sign(
                        RequestToSign.of("POST", provider.requestTokenUrl()),
                        app,
                        Optional.empty(),
                        Map.of("oauth_callback", CALLBACK)));
        assertEquals(200, temporary.statusCode(), temporary.body());
        assertEquals(
                "application/x-www-form-urlencoded",
                temporary.headers().firstValue("Content-Type").orElseThrow());
        Map<String, String> tempAnswer = form(temporary.body());
        assertEquals("true", tempAnswer.get("oauth_callback_confirmed"));
        OAuth1Token temp = new OAuth1Token(tempAnswer.get("oauth_token"), tempAnswer.get("oauth_token_secret"));

        HttpResponse<String> visit = http.send(
                HttpRequest.newBuilder(URI.create(provider.authorizationUrl() + "?oauth_token="
                                + URLEncoder.encode(temp.token(), StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, visit.statusCode());
        String callback = visit.headers().firstValue("Location").orElseThrow();
        assertTrue(callback.startsWith(CALLBACK + "?"), callback);
        Map<String, String> callbackQuery = form(URI.create(callback).getRawQuery());
        assertEquals(temp.token(), callbackQuery.get("oauth_token"));

        HttpResponse<String> exchanged = send(
                "POST",
                provider.accessTokenUrl(),
                List.of(),
                signer.sign(
                        RequestToSign.of("POST", provider.accessTokenUrl()),
                        app,
                        Optional.of(temp),
                        Map.of("oauth_verifier", callbackQuery.get("oauth_verifier"))));
        assertEquals(200, exchanged.statusCode(), exchanged.body());
        Map<String, String> tokenAnswer = form(exchanged.body());
        OAuth1Token token = new OAuth1Token(tokenAnswer.get("oauth_token"), tokenAnswer.get("oauth_token_secret"));
        assertEquals(
                List.of(token.token()),
                provider.accessTokens().stream().map(IssuedToken::token).toList());

        String getUrl = provider.resourceUrl("1/photos?file=vacation.jpg&size=original&q=a+b%2Bc");
        HttpResponse<String> get =
                send("GET", getUrl, List.of(), signer.sign(RequestToSign.of("GET", getUrl), app, Optional.of(token)));
        assertEquals(200, get.statusCode(), get.body());
        JsonNode echo = JSON.readTree(get.body());
        assertEquals("a b+c", echo.at("/query/q/0").asText());
        assertEquals(token.token(), echo.get("oauth_token").asText());

        List<Parameter> formParams = List.of(
                new Parameter("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
                new Parameter("tag", "b"),
                new Parameter("tag", "a"),
                new Parameter("name", "Zoë 日本 ~*'()"));
        String postUrl = provider.resourceUrl("1/statuses/update.json?include_entities=true");
        HttpResponse<String> post = send(
                "POST",
                postUrl,
                formParams,
                signer.sign(new RequestToSign("POST", postUrl, formParams), app, Optional.of(token)));
        assertEquals(200, post.statusCode(), post.body());
        ResourceCall call = provider.resourceCalls().get(1);
        assertEquals(List.of("b", "a"), call.form().get("tag"));
        assertEquals(List.of("Zoë 日本 ~*'()"), call.form().get("name"));
        assertEquals(List.of("true"), call.query().get("include_entities"));
        assertTrue(
                provider.calls().stream().allMatch(SignedCall::accepted),
                provider.calls().toString());
    }

    @Test
    void shouldExchangeATemporaryTokenOnlyOnce() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        OAuth1Token temp = temporaryToken(app);
        String verifier = form(URI.create(provider.authorize(authorizeUrl(temp)))
                        .getRawQuery())
                .get("oauth_verifier");

        HttpResponse<String> first = exchange(app, temp, verifier);
        HttpResponse<String> again = exchange(app, temp, verifier);

        assertEquals(200, first.statusCode(), first.body());
        assertEquals(401, again.statusCode());
        assertEquals("oauth_problem=token_used", again.body());
        assertEquals(1, provider.accessTokens().size());
        assertThrows(IllegalArgumentException.class, () -> provider.authorize(authorizeUrl(temp)));
    }

    @Test
    void shouldRefuseAWrongVerifierAndKeepTheTemporaryToken() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        OAuth1Token temp = temporaryToken(app);
        String verifier = form(URI.create(provider.authorize(authorizeUrl(temp)))
                        .getRawQuery())
                .get("oauth_verifier");

        HttpResponse<String> wrong = exchange(app, temp, verifier + "x");
        HttpResponse<String> right = exchange(app, temp, verifier);

        assertEquals(401, wrong.statusCode());
        assertEquals("oauth_problem=verifier_invalid", wrong.body());
        assertEquals(200, right.statusCode(), right.body());
    }

    @Test
    void shouldRefuseATemporaryTokenRequestWithoutCallback() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        HttpResponse<String> answer = send(
                "POST",
                provider.requestTokenUrl(),
                List.of(),
                signer.sign(RequestToSign.of("POST", provider.requestTokenUrl()), app, Optional.empty()));

        assertEquals(400, answer.statusCode());
        assertEquals("oauth_problem=parameter_absent", answer.body());
    }

    // ------------------------------------------------------------------------------------------ methods

    @Test
    void shouldAcceptHmacSha256SignedByTheHub() throws Exception {
        OAuth1Client app = new OAuth1Client("sha256-app", "sha256-secret", SignatureMethod.HMAC_SHA256);
        IssuedToken issued = provider.mintAccessToken("sha256-app");

        assertEquals(
                200,
                signedGet(app, token(issued), provider.resourceUrl("a?x=1")).statusCode());
    }

    @Test
    void shouldAcceptRsaSha1SignedByTheHubWithPkcs8AndPkcs1Keys() throws Exception {
        TestRsaKey key = TestRsaKey.generate();
        provider.registerRsaConsumer("rsa-app", key.publicKey());
        IssuedToken issued = provider.mintAccessToken("rsa-app");

        for (String pem : List.of(key.pkcs8Pem(), key.pkcs1Pem())) {
            OAuth1Client app = new OAuth1Client("rsa-app", pem, SignatureMethod.RSA_SHA1);
            HttpResponse<String> answer = signedGet(app, token(issued), provider.resourceUrl("a?x=1"));
            assertEquals(200, answer.statusCode(), answer.body());
        }
        OAuth1Client other = new OAuth1Client("rsa-app", TestRsaKey.generate().pkcs8Pem(), SignatureMethod.RSA_SHA1);
        HttpResponse<String> wrongKey = signedGet(other, token(issued), provider.resourceUrl("a?x=1"));
        assertEquals("oauth_problem=signature_invalid", wrongKey.body());
    }

    @Test
    void shouldAcceptPlaintextOnlyAtAnHttpsUrl() throws Exception {
        OAuth1Client app = new OAuth1Client("plain-app", "plain-secret", SignatureMethod.PLAINTEXT);
        IssuedToken issued = provider.mintAccessToken("plain-app");
        String https = "https://api.provider.test/api/a?x=1";
        SignedRequest signed = signer.sign(RequestToSign.of("GET", https), app, Optional.of(token(issued)));

        assertTrue(provider.check("GET", https, signed.authorization(), null).accepted());

        // the same header sent over http (the hub's signer refuses to make one for http)
        String http = provider.resourceUrl("a?x=1");
        HttpResponse<String> overHttp = send(
                "GET", http, List.of(), signer.sign(RequestToSign.of("GET", https), app, Optional.of(token(issued))));
        assertEquals(400, overHttp.statusCode());
        assertEquals("oauth_problem=signature_method_rejected", overHttp.body());
    }

    // ------------------------------------------------------------------------------------------ refusals

    @Test
    void shouldRefuseAFormParameterChangedAfterSigning() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        IssuedToken issued = provider.mintAccessToken("hmac-app");
        String url = provider.resourceUrl("statuses");
        SignedRequest signed = signer.sign(
                new RequestToSign("POST", url, List.of(new Parameter("status", "hi"))),
                app,
                Optional.of(token(issued)));

        HttpResponse<String> answer = send("POST", url, List.of(new Parameter("status", "bye")), signed);

        assertEquals(401, answer.statusCode());
        assertEquals("oauth_problem=signature_invalid", answer.body());
        assertTrue(provider.resourceCalls().isEmpty());
    }

    @Test
    void shouldRefuseAReplayedNonce() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        IssuedToken issued = provider.mintAccessToken("hmac-app");
        String url = provider.resourceUrl("a");
        SignedRequest signed = signer.sign(RequestToSign.of("GET", url), app, Optional.of(token(issued)));

        HttpResponse<String> first = send("GET", url, List.of(), signed);
        HttpResponse<String> replay = send("GET", url, List.of(), signed);

        assertEquals(200, first.statusCode());
        assertEquals(401, replay.statusCode());
        assertEquals("oauth_problem=nonce_used", replay.body());
    }

    @Test
    void shouldRefuseATimestampOutsideTheWindow() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        IssuedToken issued = provider.mintAccessToken("hmac-app");
        OAuth1Signer late = new OAuth1Signer(Clock.fixed(NOW.minusSeconds(600), ZoneOffset.UTC), () -> "n");
        String url = provider.resourceUrl("a");

        HttpResponse<String> answer =
                send("GET", url, List.of(), late.sign(RequestToSign.of("GET", url), app, Optional.of(token(issued))));

        assertEquals(401, answer.statusCode());
        assertEquals("oauth_problem=timestamp_refused", answer.body());
    }

    @Test
    void shouldAnswerTokenRejectedForARevokedTokenAndTheProblemATestSets() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        IssuedToken issued = provider.mintAccessToken("hmac-app");
        String url = provider.resourceUrl("a");

        assertEquals(200, signedGet(app, token(issued), url).statusCode());
        provider.revoke(issued.token());
        HttpResponse<String> revoked = signedGet(app, token(issued), url);
        provider.rejectToken(issued.token(), "permission_unknown");
        HttpResponse<String> unknown = signedGet(app, token(issued), url);
        provider.rejectToken(issued.token(), null);
        HttpResponse<String> again = signedGet(app, token(issued), url);

        assertEquals(401, revoked.statusCode());
        assertEquals("oauth_problem=token_rejected", revoked.body());
        assertTrue(
                revoked.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("OAuth"));
        assertEquals("oauth_problem=permission_unknown", unknown.body());
        assertEquals(200, again.statusCode());
    }

    @Test
    void shouldRefuseAnUnknownConsumerAndAMethodItDidNotRegister() throws Exception {
        IssuedToken issued = provider.mintAccessToken("hmac-app");
        String url = provider.resourceUrl("a");

        HttpResponse<String> unknown =
                signedGet(new OAuth1Client("nobody", "x", SignatureMethod.HMAC_SHA1), token(issued), url);
        HttpResponse<String> otherMethod = signedGet(
                new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA256), token(issued), url);

        assertEquals("oauth_problem=consumer_key_unknown", unknown.body());
        assertEquals("oauth_problem=signature_method_rejected", otherMethod.body());
    }

    // ------------------------------------------------------------------------------------------ published vectors

    @Test
    void shouldVerifyTheRfc5849Section12ResourceRequestWithoutTheHubsCode() {
        OAuth1ProviderStandIn photos =
                OAuth1ProviderStandIn.start(Clock.fixed(Instant.ofEpochSecond(137131202), ZoneOffset.UTC));
        try {
            photos.registerConsumer("dpf43f3p2l4k3l03", "kd94hf93k423kf44", "HMAC-SHA1");
            photos.issueAccessToken("dpf43f3p2l4k3l03", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
            String header = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", "
                    + "oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", "
                    + "oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\", "
                    + "oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"";

            Verdict verdict = photos.check(
                    "GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", header, null);
            Verdict otherFile =
                    photos.check("GET", "http://photos.example.net/photos?file=other.jpg&size=original", header, null);

            assertTrue(verdict.accepted(), verdict.toString());
            assertEquals("signature_invalid", otherFile.problem());
        } finally {
            photos.close();
        }
    }

    @Test
    void shouldVerifyTheTwitterCreatingASignatureExampleWithoutTheHubsCode() {
        OAuth1ProviderStandIn twitter =
                OAuth1ProviderStandIn.start(Clock.fixed(Instant.ofEpochSecond(1318622958), ZoneOffset.UTC));
        try {
            twitter.registerConsumer(
                    "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "HMAC-SHA1");
            twitter.issueAccessToken(
                    "xvz1evFS4wEEPTGEFPHBog",
                    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
            String header = "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
                    + "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
                    + "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", oauth_signature_method=\"HMAC-SHA1\", "
                    + "oauth_timestamp=\"1318622958\", "
                    + "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", oauth_version=\"1.0\"";

            Verdict verdict = twitter.check(
                    "POST",
                    "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                    header,
                    "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21");

            assertTrue(verdict.accepted(), verdict.toString());
        } finally {
            twitter.close();
        }
    }

    @Test
    void shouldNameEverySecretItIssued() throws Exception {
        OAuth1Client app = new OAuth1Client("hmac-app", "s3cret&with spaces+", SignatureMethod.HMAC_SHA1);
        OAuth1Token temp = temporaryToken(app);
        IssuedToken minted = provider.mintAccessToken("hmac-app");

        assertEquals(List.of(temp.secret(), minted.secret()), provider.secretsIssued());
        assertFalse(minted.toString().contains(minted.secret()));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private OAuth1Token temporaryToken(OAuth1Client app) throws Exception {
        HttpResponse<String> answer = send(
                "POST",
                provider.requestTokenUrl(),
                List.of(),
                signer.sign(
                        RequestToSign.of("POST", provider.requestTokenUrl()),
                        app,
                        Optional.empty(),
                        Map.of("oauth_callback", CALLBACK)));
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, String> values = form(answer.body());
        return new OAuth1Token(values.get("oauth_token"), values.get("oauth_token_secret"));
    }

    private String authorizeUrl(OAuth1Token temp) {
        return provider.authorizationUrl() + "?oauth_token=" + URLEncoder.encode(temp.token(), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> exchange(OAuth1Client app, OAuth1Token temp, String verifier) throws Exception {
        return send(
                "POST",
                provider.accessTokenUrl(),
                List.of(),
                signer.sign(
                        RequestToSign.of("POST", provider.accessTokenUrl()),
                        app,
                        Optional.of(temp),
                        Map.of("oauth_verifier", verifier)));
    }

    private HttpResponse<String> signedGet(OAuth1Client app, OAuth1Token token, String url) throws Exception {
        return send("GET", url, List.of(), signer.sign(RequestToSign.of("GET", url), app, Optional.of(token)));
    }

    private static OAuth1Token token(IssuedToken issued) {
        return new OAuth1Token(issued.token(), issued.secret());
    }

    private HttpResponse<String> send(String method, String url, List<Parameter> formParams, SignedRequest signed)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", signed.authorization());
        if (formParams.isEmpty()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String body = formParams.stream()
                    .map(p -> URLEncoder.encode(p.name(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(p.value(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> form(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            String[] nv = pair.split("=", 2);
            values.put(
                    URLDecoder.decode(nv[0], StandardCharsets.UTF_8),
                    nv.length == 2 ? URLDecoder.decode(nv[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }
}
