package com.integrationshub.refresher;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a {@link TokenEntry} keeps of an org or entity id: a canonical UUID string (36 chars, 8-4-4-4-12 hex
 * digits, all lowercase or all uppercase) as a marker byte and its 16 bytes instead of 36, since such ids are
 * common and a token keeps its own copy (one instance may hold a million); any other id as its UTF-8 bytes. The
 * encoding is a function of the string and decodes back to the identical string, so two ids are equal exactly when
 * their bytes are: an uppercase UUID and its lowercase form stay different ids. The markers cannot start UTF-8 (no
 * UTF-8 byte is 0xFE or 0xFF).
 */
final class IdBytes {

    /** Starts the 17 bytes of a lowercase (or digits-only) canonical UUID. */
    private static final byte LOWER_UUID = (byte) 0xFF;
    /** Starts the 17 bytes of an uppercase canonical UUID. */
    private static final byte UPPER_UUID = (byte) 0xFE;

    private static final int UUID_CHARS = 36;
    private static final int UUID_BYTES = 1 + 16;
    private static final char[] LOWER_DIGITS = "0123456789abcdef".toCharArray();
    private static final char[] UPPER_DIGITS = "0123456789ABCDEF".toCharArray();

    private IdBytes() {}

    /** The bytes of the id. */
    static byte[] encode(String id) {
        final byte marker = uuidMarker(id);
        if (marker == 0) return id.getBytes(StandardCharsets.UTF_8);
        final byte[] out = new byte[UUID_BYTES];
        out[0] = marker;
        int nibble = 0;
        for (int i = 0; i < UUID_CHARS; i++) {
            final char c = id.charAt(i);
            if (c == '-') continue;
            final int v = Character.digit(c, 16);
            final int at = 1 + nibble / 2;
            out[at] = (byte) (nibble % 2 == 0 ? v << 4 : out[at] | v);
            nibble++;
        }
        return out;
    }

    /** The id of {@code length} bytes of {@link #encode} from {@code from}. */
    static String decode(byte[] bytes, int from, int length) {
        if (length == UUID_BYTES && (bytes[from] == LOWER_UUID || bytes[from] == UPPER_UUID)) {
            final char[] digits = bytes[from] == LOWER_UUID ? LOWER_DIGITS : UPPER_DIGITS;
            final char[] out = new char[UUID_CHARS];
            int at = 0;
            for (int i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10) out[at++] = '-';
                final int b = bytes[from + 1 + i];
                out[at++] = digits[(b >>> 4) & 0xF];
                out[at++] = digits[b & 0xF];
            }
            return new String(out);
        }
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }

    /**
     * The marker of a canonical UUID string: {@link #LOWER_UUID} when it has no uppercase hex letter, {@link
     * #UPPER_UUID} when it has no lowercase one; 0 for anything else (mixed case included: kept as UTF-8).
     */
    private static byte uuidMarker(String id) {
        if (id.length() != UUID_CHARS) return 0;
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < UUID_CHARS; i++) {
            final char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return 0;
            } else if (c >= 'a' && c <= 'f') {
                lower = true;
            } else if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if (c < '0' || c > '9') {
                return 0;
            }
        }
        if (lower && upper) return 0;
        return upper ? UPPER_UUID : LOWER_UUID;
    }
}
