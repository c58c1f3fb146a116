package com.integrationshub.testkit.oauth1;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** A fresh 2048-bit RSA key for RSA-SHA1 tests, as the PEM texts a consumer secret holds and the public key. */
public final class TestRsaKey {

    private final KeyPair keys;

    private TestRsaKey(KeyPair keys) {
        this.keys = keys;
    }

    /** Returns a new key. */
    public static TestRsaKey generate() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestRsaKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the public key, for {@link OAuth1ProviderStandIn#registerRsaConsumer}. */
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** Returns the private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public String pkcs8Pem() {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** Returns the private key as PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}): the key inside the PKCS#8 form. */
    public String pkcs1Pem() {
        final byte[] pkcs8 = keys.getPrivate().getEncoded();
        // PrivateKeyInfo: SEQUENCE(4 bytes) INTEGER 0 (3) AlgorithmIdentifier (15) OCTET STRING header (4)
        // RSAPrivateKey
        if (pkcs8[22] != 0x04) throw new IllegalStateException("unexpected PKCS#8 layout");
        return pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    @Override
    public String toString() {
        return "TestRsaKey[2048]";
    }
}
