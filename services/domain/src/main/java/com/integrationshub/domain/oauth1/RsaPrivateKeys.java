package com.integrationshub.domain.oauth1;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RSA-SHA1 consumer secret read as a PEM private key: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}, wrapped into PKCS#8 here so the JDK reads it). Encrypted keys are refused.
 */
public final class RsaPrivateKeys {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ((?:RSA )?)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");
    /** DER of PKCS#8's AlgorithmIdentifier for rsaEncryption (OID 1.2.840.113549.1.1.1, NULL parameters). */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00
    };

    private RsaPrivateKeys() {}

    /**
     * Returns the private key of a PEM text.
     *
     * @throws SigningRefused (field {@code client_secret}) when the text is not a PEM RSA private key
     */
    public static PrivateKey parse(String pem) {
        final Matcher m = pem == null ? null : PEM.matcher(pem.strip());
        if (m == null || !m.matches())
            throw refused("must be a PEM RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        final byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw refused("the PEM body is not base64");
        }
        try {
            final byte[] pkcs8 = m.group(1).isEmpty() ? der : pkcs1ToPkcs8(der);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw refused("the PEM does not hold a readable RSA private key");
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { version INTEGER 0, algorithm AlgorithmIdentifier, privateKey OCTET STRING }. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        final byte[] version = {0x02, 0x01, 0x00};
        final byte[] octets = tlv(0x04, pkcs1);
        final byte[] body = new byte[version.length + RSA_ALGORITHM.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(RSA_ALGORITHM, 0, body, version.length, RSA_ALGORITHM.length);
        System.arraycopy(octets, 0, body, version.length + RSA_ALGORITHM.length, octets.length);
        return tlv(0x30, body);
    }

    private static byte[] tlv(int tag, byte[] value) {
        final int n = value.length;
        final byte[] length;
        if (n < 0x80) length = new byte[] {(byte) n};
        else if (n < 0x100) length = new byte[] {(byte) 0x81, (byte) n};
        else if (n < 0x10000) length = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        else length = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        final byte[] out = new byte[1 + length.length + n];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(value, 0, out, 1 + length.length, n);
        return out;
    }

    private static SigningRefused refused(String reason) {
        return new SigningRefused("client_secret", reason);
    }
}
