package com.integrationshub.query.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumePositionTest {

    @Test
    void shouldReadBackTheOffsetsOfItsOwnId() {
        ResumePosition position = new ResumePosition(Map.of(2, 0L, 0, 15L, 1, 7L));

        assertEquals(position, ResumePosition.parse(position.id()));
        assertEquals("0:15,1:7,2:0", decoded(position.id()), "partition:offset pairs in partition order");
        assertFalse(position.id().contains("="), "base64url without padding: " + position.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "0:15,,1:7", "0:-1", "a:1", "0:1,0:2", "0:1;1:2", "", " "})
    void shouldRefuseAnIdItDidNotMakeWithoutEchoingIt(String text) {
        String id = text.equals("not base64!") ? text : encoded(text);
        var e = assertThrows(IllegalArgumentException.class, () -> ResumePosition.parse(id));
        assertFalse(e.getMessage().contains(id) && !id.isEmpty(), "the message echoes the id: " + e.getMessage());
    }

    @Test
    void shouldRefuseAnOverlongId() {
        String id = encoded("0:1," + "1:1,".repeat(3000) + "2:2");
        assertThrows(IllegalArgumentException.class, () -> ResumePosition.parse(id));
    }

    private static String decoded(String id) {
        return new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
    }

    private static String encoded(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
