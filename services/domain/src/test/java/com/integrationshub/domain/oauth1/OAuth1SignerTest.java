package com.integrationshub.domain.oauth1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class OAuth1SignerTest {

    // RFC 5849 §1.2: the printer (client) and the photo site (server)
    private static final OAuth1Client PRINTER =
            new OAuth1Client("dpf43f3p2l4k3l03", "kd94hf93k423kf44", SignatureMethod.HMAC_SHA1);

    // The Twitter/X "Creating a signature" example (developer.x.com, docs/authentication/oauth-1-0a)
    private static final OAuth1Client TWITTER_APP = new OAuth1Client(
            "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", SignatureMethod.HMAC_SHA1);
    private static final OAuth1Token TWITTER_TOKEN = new OAuth1Token(
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
    private static final RequestToSign TWITTER_REQUEST = new RequestToSign(
            "POST",
            "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
            SignatureBaseString.formParameters(
                    "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21"));
    private static final String TWITTER_NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
    private static final String TWITTER_BASE_STRING =
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json"
                    + "&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
                    + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958"
                    + "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0"
                    + "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";

    private static OAuth1Signer signerAt(long epochSecond, String nonce) {
        return new OAuth1Signer(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC), () -> nonce);
    }

    // ------------------------------------------------------------------------------------------ RFC 5849 §1.2

    @Test
    void shouldSignTheTemporaryCredentialsRequestOfRfc5849Section12() {
        SignedRequest signed = signerAt(137131200, "wIjqoS")
                .withoutVersion()
                .sign(
                        RequestToSign.of("POST", "https://photos.example.net/initiate"),
                        PRINTER,
                        Optional.empty(),
                        Map.of("oauth_callback", "http://printer.example.com/ready"));

        assertEquals("74KNZJeDHnMBp0EMJ9ZHt/XKycU=", signed.signature());
        assertEquals(
                "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_signature_method=\"HMAC-SHA1\", "
                        + "oauth_timestamp=\"137131200\", oauth_nonce=\"wIjqoS\", "
                        + "oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\", "
                        + "oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\"",
                signed.authorization(Optional.of("Photos")));
    }

    @Test
    void shouldSignTheTokenCredentialsRequestOfRfc5849Section12() {
        SignedRequest signed = signerAt(137131201, "walatlh")
                .withoutVersion()
                .sign(
                        RequestToSign.of("POST", "https://photos.example.net/token"),
                        PRINTER,
                        Optional.of(new OAuth1Token("hh5s93j4hdidpola", "hdhd0244k9j7ao03")),
                        Map.of("oauth_verifier", "hfdp7dh39dks9884"));

        assertEquals("gKgrFCywp7rO0OXSjdot/IHF7IU=", signed.signature());
        assertTrue(signed.authorization().contains("oauth_signature=\"gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D\""));
        assertTrue(signed.authorization().contains("oauth_token=\"hh5s93j4hdidpola\""));
        assertTrue(signed.authorization().contains("oauth_verifier=\"hfdp7dh39dks9884\""));
    }

    @Test
    void shouldSignTheProtectedResourceRequestOfRfc5849Section12() {
        SignedRequest signed = signerAt(137131202, "chapoH")
                .withoutVersion()
                .sign(
                        RequestToSign.of("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original"),
                        PRINTER,
                        Optional.of(new OAuth1Token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")));

        assertEquals(
                "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3D"
                        + "dpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1"
                        + "%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal",
                signed.baseString());
        assertEquals("MdpQcU8iPSUjWoN/UDMsK2sui9I=", signed.signature());
        assertTrue(signed.authorization().endsWith("oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""));
    }

    // ------------------------------------------------------------------------------------------ RFC 5849 §3.4.1

    @Test
    void shouldSignOverTheBaseStringOfRfc5849Section341WithItsBodyParameter() throws Exception {
        // The RFC gives this request's base string but not the secrets behind its signature (bYT5CMsG...), so the
        // base string is the published value checked here; the signature is checked against an HMAC of that string.
        SignedRequest signed = signerAt(137131201, "7d8f3e4a")
                .withoutVersion()
                .sign(
                        new RequestToSign(
                                "POST",
                                "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                                SignatureBaseString.formParameters("c2&a3=2+q")),
                        new OAuth1Client("9djdj82h48djs9d2", "j49sk3j29djd", SignatureMethod.HMAC_SHA1),
                        Optional.of(new OAuth1Token("kkk9d7dh3k39sjv7", "dh893hdasih9")));

        String published = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
                + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
                + "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
                + "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
                + "9d7dh3k39sjv7";
        assertEquals(published, signed.baseString());
        assertEquals(hmac("HmacSHA1", "j49sk3j29djd&dh893hdasih9", published), signed.signature());
    }

    // ------------------------------------------------------------------------------------------ Twitter / X

    @Test
    void shouldSignTheTwitterCreatingASignatureExampleWithItsBodyParameter() {
        SignedRequest signed =
                signerAt(1318622958, TWITTER_NONCE).sign(TWITTER_REQUEST, TWITTER_APP, Optional.of(TWITTER_TOKEN));

        assertEquals(TWITTER_BASE_STRING, signed.baseString());
        assertEquals("hCtSmYh+iHYCEqBWrE7C7hYmtUk=", signed.signature());
        assertEquals(
                "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
                        + "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
                        + "oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1318622958\", "
                        + "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", oauth_version=\"1.0\", "
                        + "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"",
                signed.authorization());
    }

    // ------------------------------------------------------------------------------------------ other methods

    @Test
    void shouldSignWithHmacSha256UnderTheSameKeyAsHmacSha1() throws Exception {
        OAuth1Client app =
                new OAuth1Client(TWITTER_APP.consumerKey(), TWITTER_APP.consumerSecret(), SignatureMethod.HMAC_SHA256);
        SignedRequest signed =
                signerAt(1318622958, TWITTER_NONCE).sign(TWITTER_REQUEST, app, Optional.of(TWITTER_TOKEN));

        String expectedBase = TWITTER_BASE_STRING.replace("HMAC-SHA1", "HMAC-SHA256");
        assertEquals(expectedBase, signed.baseString());
        assertEquals(
                hmac(
                        "HmacSHA256",
                        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
                        expectedBase),
                signed.signature());
        assertEquals(32, Base64.getDecoder().decode(signed.signature()).length);
        assertTrue(signed.authorization().contains("oauth_signature_method=\"HMAC-SHA256\""));
    }

    @Test
    void shouldSignWithRsaSha1SoThePublicKeyVerifiesIt() throws Exception {
        KeyPair keys = RsaPrivateKeysTest.KEYS;
        for (String pem : List.of(RsaPrivateKeysTest.pkcs8Pem(keys), RsaPrivateKeysTest.pkcs1Pem(keys))) {
            SignedRequest signed = signerAt(137131202, "chapoH")
                    .withoutVersion()
                    .sign(
                            RequestToSign.of("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original"),
                            new OAuth1Client("dpf43f3p2l4k3l03", pem, SignatureMethod.RSA_SHA1),
                            Optional.of(new OAuth1Token("nnch734d00sl2jdk", "pfkkdhi9sl3r4s00")));

            String expectedBase = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"
                    + "%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH%26oauth_signature_method"
                    + "%3DRSA-SHA1%26oauth_timestamp%3D137131202%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal";
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(keys.getPublic());
            verifier.update(expectedBase.getBytes(StandardCharsets.UTF_8));
            assertTrue(
                    verifier.verify(Base64.getDecoder().decode(signed.signature())), "RSA-SHA1 over " + expectedBase);
        }
    }

    @Test
    void shouldRefuseRsaSha1WithAMalformedKeyNamingTheClientSecret() {
        String notAKey = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----";
        SigningRefused refused = assertThrows(
                SigningRefused.class,
                () -> signerAt(1, "n")
                        .sign(
                                RequestToSign.of("GET", "https://api.example/a"),
                                new OAuth1Client("key", notAKey, SignatureMethod.RSA_SHA1),
                                Optional.empty()));

        assertEquals("client_secret", refused.field());
        assertFalse(refused.getMessage().contains("bm90IGEga2V5"), refused.getMessage());
    }

    @Test
    void shouldSignPlaintextWithTheEncodedSecretsOverHttps() {
        SignedRequest signed = signerAt(137131202, "chapoH")
                .sign(
                        RequestToSign.of("GET", "https://photos.example.net/photos?file=vacation.jpg"),
                        new OAuth1Client("dpf43f3p2l4k3l03", "kd94hf93k423kf44", SignatureMethod.PLAINTEXT),
                        Optional.of(new OAuth1Token("nnch734d00sl2jdk", "pfkk&hi9 s00")));

        assertEquals("kd94hf93k423kf44&pfkk%26hi9%20s00", signed.signature());
        assertTrue(signed.authorization().contains("oauth_signature=\"kd94hf93k423kf44%26pfkk%2526hi9%2520s00\""));
        assertFalse(signed.toString().contains("kd94hf93k423kf44"), signed.toString());
    }

    @Test
    void shouldRefusePlaintextOverHttp() {
        SigningRefused refused = assertThrows(
                SigningRefused.class,
                () -> signerAt(1, "n")
                        .sign(
                                RequestToSign.of("GET", "http://photos.example.net/photos"),
                                new OAuth1Client("key", "secret", SignatureMethod.PLAINTEXT),
                                Optional.empty()));

        assertEquals("url", refused.field());
    }

    // ------------------------------------------------------------------------------------------ parameters

    @Test
    void shouldTakeTimestampFromTheClockAndANewNonceForEachRequest() {
        AtomicInteger n = new AtomicInteger();
        OAuth1Signer signer = new OAuth1Signer(
                Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC),
                () -> "nonce-" + n.incrementAndGet());
        RequestToSign request = RequestToSign.of("GET", "https://api.example/a");

        SignedRequest first = signer.sign(request, PRINTER, Optional.empty());
        SignedRequest second = signer.sign(request, PRINTER, Optional.empty());

        assertEquals("1796126400", first.protocolParameters().get("oauth_timestamp"));
        assertEquals("nonce-1", first.protocolParameters().get("oauth_nonce"));
        assertEquals("nonce-2", second.protocolParameters().get("oauth_nonce"));
        assertNotEquals(first.signature(), second.signature());
        assertFalse(first.protocolParameters().containsKey("oauth_token"), "no token, no oauth_token");
    }

    @Test
    void shouldMakeRandomNoncesOfUnreservedCharacters() {
        OAuth1Signer signer = OAuth1Signer.withRandomNonces(Clock.systemUTC());
        RequestToSign request = RequestToSign.of("GET", "https://api.example/a");

        String a = signer.sign(request, PRINTER, Optional.empty())
                .protocolParameters()
                .get("oauth_nonce");
        String b = signer.sign(request, PRINTER, Optional.empty())
                .protocolParameters()
                .get("oauth_nonce");

        assertNotEquals(a, b);
        assertTrue(a.matches("[0-9a-f]{32}"), a);
    }

    @Test
    void shouldSignRepeatedFormParametersSortedByValue() {
        SignedRequest signed = signerAt(1, "n")
                .withoutVersion()
                .sign(
                        new RequestToSign(
                                "post",
                                "https://api.example/1/a?b=c",
                                List.of(
                                        new Parameter("tag", "b"),
                                        new Parameter("tag", "a"),
                                        new Parameter("status", "hi"))),
                        PRINTER,
                        Optional.empty());

        assertEquals(
                "POST&https%3A%2F%2Fapi.example%2F1%2Fa&b%3Dc%26oauth_consumer_key%3Ddpf43f3p2l4k3l03"
                        + "%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1"
                        + "%26status%3Dhi%26tag%3Da%26tag%3Db",
                signed.baseString());
    }

    @Test
    void shouldRefuseAnExtraParameterThatReplacesOneOfTheSigners() {
        assertThrows(
                IllegalArgumentException.class,
                () -> signerAt(1, "n")
                        .sign(
                                RequestToSign.of("GET", "https://api.example/a"),
                                PRINTER,
                                Optional.empty(),
                                Map.of("oauth_nonce", "mine")));
    }

    @Test
    void shouldLeaveSecretsOutOfToString() {
        OAuth1Token token = new OAuth1Token("t", "token-secret-x");
        assertFalse(PRINTER.toString().contains("kd94hf93k423kf44"), PRINTER.toString());
        assertFalse(token.toString().contains("token-secret-x"), token.toString());
    }

    static String hmac(String algorithm, String key, String text) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
