package com.integrationshub.domain.oauth1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {

    @Test
    void shouldLeaveOnlyTheUnreservedCharactersAlone() {
        assertEquals("ABCXYZabcxyz0123456789-._~", PercentEncoding.encode("ABCXYZabcxyz0123456789-._~"));
    }

    @Test
    void shouldEncodeEveryReservedCharacterWithUppercaseHex() {
        assertEquals(
                "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%20%25%22%3C%3E%5C%5E%60%7B%7C%7D",
                PercentEncoding.encode("!*'();:@&=+$,/?#[] %\"<>\\^`{|}"));
    }

    @Test
    void shouldEncodeNonAsciiAsItsUtf8Bytes() {
        assertEquals("caf%C3%A9", PercentEncoding.encode("café"));
        assertEquals("%E6%97%A5%E6%9C%AC", PercentEncoding.encode("日本"));
        assertEquals("%F0%9F%98%80", PercentEncoding.encode("😀"));
    }

    @Test
    void shouldEncodeASpaceAsPercent20NeverAsPlus() {
        assertEquals("a%20b%2Bc", PercentEncoding.encode("a b+c"));
    }

    @Test
    void shouldDecodeFormPlusAsSpaceAndPercent2BAsPlus() {
        assertEquals("a b", PercentEncoding.decodeForm("a+b"));
        assertEquals("a b", PercentEncoding.decodeForm("a%20b"));
        assertEquals("a+b", PercentEncoding.decodeForm("a%2Bb"));
        assertEquals("café", PercentEncoding.decodeForm("caf%c3%a9"));
        assertEquals("日本 x", PercentEncoding.decodeForm("日本+x"));
    }

    @Test
    void shouldRefuseAMalformedPercentEncoding() {
        assertThrows(IllegalArgumentException.class, () -> PercentEncoding.decodeForm("a%2"));
        assertThrows(IllegalArgumentException.class, () -> PercentEncoding.decodeForm("a%zz"));
        assertThrows(IllegalArgumentException.class, () -> PercentEncoding.decodeForm("%C3"));
    }
}
