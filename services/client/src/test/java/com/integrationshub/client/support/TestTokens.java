package com.integrationshub.client.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HS256 bearer tokens signed with one secret: admin, org, and one signed with another secret. */
public record TestTokens(String secret) {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Returns tokens of a new random secret. */
    public static TestTokens random() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return new TestTokens(Base64.getEncoder().encodeToString(bytes));
    }

    /** Returns an admin token valid for an hour. */
    public String admin() {
        return sign(secret, "{\"sub\":\"client-test-admin\",\"roles\":[\"admin\"],\"exp\":" + inAnHour() + "}");
    }

    /** Returns a token that may only act for that org, valid for an hour. */
    public String org(String orgId) {
        return sign(secret, "{\"sub\":\"user-of-" + orgId + "\",\"org_id\":\"" + orgId + "\",\"exp\":" + inAnHour() + "}");
    }

    /** Returns an admin token signed with another secret. */
    public String badSignature() {
        return sign(secret + "-not", "{\"sub\":\"client-test-admin\",\"roles\":[\"admin\"],\"exp\":" + inAnHour() + "}");
    }

    private static long inAnHour() {
        return Instant.now().plusSeconds(3600).getEpochSecond();
    }

    private static String sign(String secret, String claims) {
        String input = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + BASE64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
