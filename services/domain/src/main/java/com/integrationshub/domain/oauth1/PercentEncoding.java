package com.integrationshub.domain.oauth1;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 5849 §3.6 percent-encoding: the UTF-8 bytes of a value, every byte but the unreserved characters (ALPHA,
 * DIGIT, {@code - . _ ~}) as {@code %XX} with uppercase hex. Stricter than {@code URLEncoder}, which writes a space
 * as {@code +} and leaves {@code *} alone.
 */
public final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {}

    /** Returns {@code value} percent-encoded per RFC 5849 §3.6. */
    public static String encode(String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            final int c = b & 0xFF;
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Returns an {@code application/x-www-form-urlencoded} name or value decoded (W3C HTML 4.0 §17.13.4, as RFC
     * 5849 §3.4.1.3.1 reads the query and the body): {@code +} is a space, {@code %XX} a byte, bytes are UTF-8.
     *
     * @throws IllegalArgumentException when a {@code %} is not followed by two hex digits or the bytes are not UTF-8
     */
    public static String decodeForm(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) return raw;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int literalFrom = 0;
        for (int i = 0; i < raw.length(); i++) {
            final char c = raw.charAt(i);
            if (c != '+' && c != '%') continue;
            bytes.writeBytes(raw.substring(literalFrom, i).getBytes(StandardCharsets.UTF_8));
            if (c == '+') {
                bytes.write(' ');
            } else {
                if (i + 2 >= raw.length()) throw new IllegalArgumentException("a '%' without two hex digits");
                final int hi = Character.digit(raw.charAt(i + 1), 16);
                final int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException("a '%' without two hex digits");
                bytes.write((hi << 4) | lo);
                i += 2;
            }
            literalFrom = i + 1;
        }
        bytes.writeBytes(raw.substring(literalFrom).getBytes(StandardCharsets.UTF_8));
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-encoded bytes that are not UTF-8");
        }
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }
}
