package com.integrationshub.domain.oauth1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RsaPrivateKeysTest {

    static final KeyPair KEYS = generate();

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pkcs8Pem(KeyPair keys) {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** The PKCS#1 RSAPrivateKey is the OCTET STRING inside the JDK's PKCS#8 encoding (after a 26-byte header). */
    static String pkcs1Pem(KeyPair keys) {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        assertEquals(0x04, pkcs8[22], "the OCTET STRING of a 2048-bit key's PKCS#8");
        return pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    @Test
    void shouldReadPkcs8AndPkcs1PemAsTheSameKey() {
        assertArrayEquals(
                KEYS.getPrivate().getEncoded(),
                RsaPrivateKeys.parse(pkcs8Pem(KEYS)).getEncoded());
        assertArrayEquals(
                KEYS.getPrivate().getEncoded(),
                RsaPrivateKeys.parse(pkcs1Pem(KEYS)).getEncoded());
        assertArrayEquals(
                KEYS.getPrivate().getEncoded(),
                RsaPrivateKeys.parse("\r\n  " + pkcs8Pem(KEYS).replace("\n", "\r\n") + "  ")
                        .getEncoded());
    }

    @Test
    void shouldRefuseWhatIsNotAPemRsaPrivateKeyNamingTheClientSecret() {
        String body = pkcs8Pem(KEYS).split("\n")[1];
        List<String> malformed = List.of(
                "",
                "kd94hf93k423kf44",
                "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----",
                "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----",
                "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----",
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n" + body + "\n-----END RSA PRIVATE KEY-----",
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----");
        for (String pem : malformed) {
            SigningRefused refused = assertThrows(SigningRefused.class, () -> RsaPrivateKeys.parse(pem), pem);
            assertEquals("client_secret", refused.field());
        }
        assertThrows(SigningRefused.class, () -> RsaPrivateKeys.parse(null));
    }
}
