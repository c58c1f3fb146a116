package com.integrationshub.domain.oauth1;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Signs requests per RFC 5849 §3: fills the protocol parameters ({@code oauth_consumer_key}, {@code oauth_token}
 * when there is one, {@code oauth_signature_method}, {@code oauth_timestamp} from the clock, {@code oauth_nonce}
 * from the nonce source, {@code oauth_version=1.0} unless {@link #withoutVersion()}), computes the signature over
 * the base string (§3.4.1) and returns them for the {@code Authorization} header (§3.5.1).
 */
public final class OAuth1Signer {

    /** The parameters the signer sets itself; a caller's extra protocol parameter cannot replace them. */
    private static final Set<String> OWN = Set.of(
            "oauth_consumer_key",
            "oauth_token",
            "oauth_signature_method",
            "oauth_timestamp",
            "oauth_nonce",
            "oauth_version",
            "oauth_signature");

    private final Clock clock;
    private final Supplier<String> nonces;
    private final boolean sendVersion;

    /** Returns a signer reading time from {@code clock} and nonces from {@code nonces}, sending oauth_version. */
    public OAuth1Signer(Clock clock, Supplier<String> nonces) {
        this(clock, nonces, true);
    }

    private OAuth1Signer(Clock clock, Supplier<String> nonces, boolean sendVersion) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.sendVersion = sendVersion;
    }

    /** Returns a signer with nonces of 128 random bits (32 hex digits) from a {@link SecureRandom}. */
    public static OAuth1Signer withRandomNonces(Clock clock) {
        final SecureRandom random = new SecureRandom();
        return new OAuth1Signer(clock, () -> {
            final byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        });
    }

    /** Returns this signer leaving out the OPTIONAL {@code oauth_version} parameter (RFC 5849 §3.1). */
    public OAuth1Signer withoutVersion() {
        return new OAuth1Signer(clock, nonces, false);
    }

    /** Returns the signed request for a token's holder (the token may be empty: a temporary credentials request). */
    public SignedRequest sign(RequestToSign request, OAuth1Client client, Optional<OAuth1Token> token) {
        return sign(request, client, token, Map.of());
    }

    /**
     * Returns the signed request with extra protocol parameters, e.g. {@code oauth_callback} (§2.1) or
     * {@code oauth_verifier} (§2.3).
     *
     * @throws SigningRefused for a URL that is not absolute http(s) ({@code url}), PLAINTEXT over anything but https
     *     ({@code url}), or an RSA-SHA1 consumer secret that is not a PEM RSA private key ({@code client_secret})
     * @throws IllegalArgumentException for an extra parameter that is not {@code oauth_*} or is one the signer sets
     */
    public SignedRequest sign(
            RequestToSign request, OAuth1Client client, Optional<OAuth1Token> token, Map<String, String> extra) {
        final String scheme =
                SignatureBaseString.parse(request.url()).getScheme().toLowerCase(Locale.ROOT);
        if (client.method() == SignatureMethod.PLAINTEXT && !scheme.equals("https"))
            throw new SigningRefused("url", "a PLAINTEXT signature carries the secrets, so it is sent over https only");
        for (String name : extra.keySet()) {
            if (!name.startsWith("oauth_") || OWN.contains(name))
                throw new IllegalArgumentException("not an extra protocol parameter: " + name);
        }
        final Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", client.consumerKey());
        token.ifPresent(t -> oauth.put("oauth_token", t.token()));
        oauth.put("oauth_signature_method", client.method().wireName());
        oauth.put("oauth_timestamp", Long.toString(clock.instant().getEpochSecond()));
        oauth.put("oauth_nonce", nonces.get());
        if (sendVersion) oauth.put("oauth_version", "1.0");
        oauth.putAll(new TreeMap<>(extra));
        final List<Parameter> signed = new ArrayList<>();
        oauth.forEach((name, value) -> signed.add(new Parameter(name, value)));
        final String baseString = SignatureBaseString.of(request.method(), request.url(), request.form(), signed);
        final String secret = token.map(OAuth1Token::secret).orElse("");
        oauth.put("oauth_signature", client.method().sign(baseString, client.consumerSecret(), secret));
        return new SignedRequest(oauth, baseString);
    }
}
