package com.integrationshub.domain.oauth1;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code oauth_signature_method}s the hub signs with: RFC 5849 §3.4.2 HMAC-SHA1, the HMAC-SHA256 variant
 * providers adopted later (same key, SHA-256), §3.4.3 RSA-SHA1 (RSASSA-PKCS1-v1_5 over SHA-1, the consumer secret
 * holding a PEM private key) and §3.4.4 PLAINTEXT (the key itself, so only over https).
 */
public enum SignatureMethod {
    HMAC_SHA1("HMAC-SHA1"),
    HMAC_SHA256("HMAC-SHA256"),
    RSA_SHA1("RSA-SHA1"),
    PLAINTEXT("PLAINTEXT");

    /** The method used when a connection names none. */
    public static final SignatureMethod DEFAULT = HMAC_SHA1;

    private final String wireName;

    SignatureMethod(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name as {@code oauth_signature_method} carries it, e.g. {@code HMAC-SHA1}. */
    public String wireName() {
        return wireName;
    }

    /** Returns the method of a wire name (exact, case-sensitive as RFC 5849 writes them), or empty. */
    public static Optional<SignatureMethod> of(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(wireName)).findFirst();
    }

    /**
     * Returns the {@code oauth_signature} value (before the header's own encoding) of {@code baseString}.
     *
     * @param consumerSecret the client shared-secret, or for RSA-SHA1 the PEM private key
     * @param tokenSecret the token shared-secret, empty when there is no token yet
     * @throws SigningRefused (field {@code client_secret}) for RSA-SHA1 with a secret that is not a PEM RSA key
     */
    public String sign(String baseString, String consumerSecret, String tokenSecret) {
        return switch (this) {
            case HMAC_SHA1 -> hmac("HmacSHA1", baseString, consumerSecret, tokenSecret);
            case HMAC_SHA256 -> hmac("HmacSHA256", baseString, consumerSecret, tokenSecret);
            case RSA_SHA1 -> rsaSha1(baseString, consumerSecret);
            case PLAINTEXT -> key(consumerSecret, tokenSecret);
        };
    }

    /** §3.4.2: the HMAC key is the encoded client secret and the encoded token secret joined by {@code &}. */
    private static String key(String consumerSecret, String tokenSecret) {
        return PercentEncoding.encode(consumerSecret) + '&' + PercentEncoding.encode(tokenSecret);
    }

    private static String hmac(String algorithm, String baseString, String consumerSecret, String tokenSecret) {
        try {
            final Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key(consumerSecret, tokenSecret).getBytes(StandardCharsets.UTF_8), algorithm));
            return Base64.getEncoder().encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    private static String rsaSha1(String baseString, String pemPrivateKey) {
        try {
            final Signature signature = Signature.getInstance("SHA1withRSA");
            signature.initSign(RsaPrivateKeys.parse(pemPrivateKey));
            signature.update(baseString.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new SigningRefused("client_secret", "the RSA private key cannot sign");
        }
    }
}
