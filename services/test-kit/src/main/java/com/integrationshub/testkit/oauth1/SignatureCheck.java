package com.integrationshub.testkit.oauth1;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The stand-in's verification of a request's signature, written apart from the hub's signer so the two check each
 * other: its own base string (RFC 5849 §3.4.1) and its own check of each method (§3.4.2 to §3.4.4, HMAC-SHA256).
 */
final class SignatureCheck {

    private SignatureCheck() {}

    /**
     * Returns the base string of a request as the server received it: {@code uri} is the URL the server is reached
     * at (its query included), {@code body} the form parameters, {@code oauth} the header's parameters.
     */
    static String baseString(
            String httpMethod, URI uri, List<Map.Entry<String, String>> body, Map<String, String> oauth) {
        final List<String> pairs = new ArrayList<>();
        final List<Map.Entry<String, String>> all = new ArrayList<>(WireText.form(uri.getRawQuery()));
        all.addAll(body);
        oauth.forEach((name, value) -> {
            if (!name.equals("realm") && !name.equals("oauth_signature")) all.add(Map.entry(name, value));
        });
        for (Map.Entry<String, String> p : all)
            pairs.add(WireText.encode(p.getKey()) + "=" + WireText.encode(p.getValue()));
        // "name=value" strings sort as name then value only if '=' sorts below every encoded character: it does
        // not ('%', '-', '.' and digits are lower), so sort on the pair of encoded strings instead.
        pairs.sort((a, b) -> {
            final String[] x = a.split("=", 2);
            final String[] y = b.split("=", 2);
            final int byName = x[0].compareTo(y[0]);
            return byName != 0 ? byName : x[1].compareTo(y[1]);
        });
        final String scheme = uri.getScheme().toLowerCase();
        final boolean defaultPort = uri.getPort() < 0
                || ("http".equals(scheme) && uri.getPort() == 80)
                || ("https".equals(scheme) && uri.getPort() == 443);
        final String authority = uri.getHost().toLowerCase() + (defaultPort ? "" : ":" + uri.getPort());
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return httpMethod.toUpperCase()
                + "&" + WireText.encode(scheme + "://" + authority + path)
                + "&" + WireText.encode(String.join("&", pairs));
    }

    /** Returns whether {@code signature} is right for the base string under the consumer's method and secrets. */
    static boolean verifies(String method, String baseString, String signature, Consumer consumer, String tokenSecret) {
        final String key = WireText.encode(consumer.secret() == null ? "" : consumer.secret()) + "&"
                + WireText.encode(tokenSecret);
        try {
            switch (method) {
                case "HMAC-SHA1":
                    return sameBytes(signature, mac("HmacSHA1", key, baseString));
                case "HMAC-SHA256":
                    return sameBytes(signature, mac("HmacSHA256", key, baseString));
                case "PLAINTEXT":
                    return sameBytes(signature, key);
                case "RSA-SHA1":
                    return rsa(consumer.publicKey(), baseString, signature);
                default:
                    return false;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String mac(String algorithm, String key, String text) throws GeneralSecurityException {
        final Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean rsa(PublicKey key, String text, String signature) throws GeneralSecurityException {
        if (key == null) return false;
        final Signature verifier = Signature.getInstance("SHA1withRSA");
        verifier.initVerify(key);
        verifier.update(text.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(signature));
    }

    private static boolean sameBytes(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
