package com.integrationshub.refresher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bytes a token keeps of an org or entity id: UUIDs in 17 bytes, anything else as UTF-8, read back exactly. */
class IdBytesTest {

    @Test
    void shouldPackACanonicalUuidIn17BytesAndReadBackTheSameString() {
        final SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 1_000; i++) {
            final String lower = new UUID(random.nextLong(), random.nextLong()).toString();
            for (String id : List.of(lower, lower.toUpperCase())) {
                final byte[] bytes = IdBytes.encode(id);
                assertEquals(17, bytes.length, id);
                assertEquals(id, decode(bytes), "read back identical");
            }
        }
        for (String id : List.of(
                "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
                "12345678-1234-1234-1234-123456789012")) {
            assertEquals(17, IdBytes.encode(id).length, id);
            assertEquals(id, decode(IdBytes.encode(id)));
        }
    }

    @Test
    void shouldKeepAnUppercaseUuidAndItsLowercaseFormDifferent() {
        final String lower = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        final String upper = lower.toUpperCase();

        assertFalse(Arrays.equals(IdBytes.encode(lower), IdBytes.encode(upper)));
        assertEquals(lower, decode(IdBytes.encode(lower)));
        assertEquals(upper, decode(IdBytes.encode(upper)));
    }

    @Test
    void shouldKeepAnyOtherIdAsItsUtf8Bytes() {
        for (String id : List.of(
                "",
                "org-123",
                "3f2504e0-4f89-41d3-9a0c-0305e82c3301".substring(1),
                "3f2504e0-4f89-41d3-9a0c-0305e82c3301x",
                "3F2504E0-4f89-41d3-9a0c-0305e82c3301", // mixed case
                "3f2504e0-4f89-41d3-9a0c-0305e82c330g", // not hex
                "3f2504e0x4f89-41d3-9a0c-0305e82c3301", // no hyphen
                "3f2504e04-f89-41d3-9a0c-0305e82c3301", // hyphen misplaced
                "{3f2504e0-4f89-41d3-9a0c-0305e82c33}",
                "3f2504e0-4f89-41d3-9a0c-0305e82c330é", // 36 chars, not ASCII
                "3f2504e0-4f89-41d3-9a0c-0305e82c33０1", // a fullwidth digit
                "ünïcödé-ørg-ïd-17",
                "\uD800 lone surrogate")) {
            assertArrayEquals(id.getBytes(StandardCharsets.UTF_8), IdBytes.encode(id), id);
            assertEquals(
                    new String(id.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                    decode(IdBytes.encode(id)),
                    id);
        }
    }

    @Test
    void shouldReadTheIdAtItsPlaceInALargerArray() {
        final byte[] uuid = IdBytes.encode("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        final byte[] text = IdBytes.encode("org-ü");
        final byte[] both = new byte[2 + uuid.length + text.length];
        System.arraycopy(uuid, 0, both, 1, uuid.length);
        System.arraycopy(text, 0, both, 1 + uuid.length, text.length);

        assertEquals("3f2504e0-4f89-41d3-9a0c-0305e82c3301", IdBytes.decode(both, 1, uuid.length));
        assertEquals("org-ü", IdBytes.decode(both, 1 + uuid.length, text.length));
    }

    private static String decode(byte[] bytes) {
        return IdBytes.decode(bytes, 0, bytes.length);
    }
}
