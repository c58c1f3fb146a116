package com.integrationshub.oauth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityIdsTest {

    private static final String URL = "https://login.example/{entity_id}/oauth2/token";

    @Test
    void shouldEncodeASpaceAsPercent20() {
        assertEquals("https://login.example/acme%20corp/oauth2/token", EntityIds.fill(URL, "acme corp"));
    }

    @Test
    void shouldKeepUnreservedCharactersAndPercentEncodeTheRest() {
        assertEquals(
                "https://login.example/contoso.onmicrosoft.com/oauth2/token",
                EntityIds.fill(URL, "contoso.onmicrosoft.com"));
        assertEquals("https://login.example/a-b_c~d/oauth2/token", EntityIds.fill(URL, "a-b_c~d"));
        assertEquals("https://login.example/a%2Bb%26c%3D%25%3A%40/oauth2/token", EntityIds.fill(URL, "a+b&c=%:@"));
        assertEquals("https://login.example/%C3%A9/oauth2/token", EntityIds.fill(URL, "é"));
    }

    @Test
    void shouldFillEveryPlaceholderAndLeaveOtherUrlsAlone() {
        assertEquals("https://x/t1/a/t1", EntityIds.fill("https://x/{entity_id}/a/{entity_id}", "t1"));
        assertEquals("https://x/token", EntityIds.fill("https://x/token", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "../admin", "a\\b", "a?x=1", "a#frag", ".", "..", "a\nb", ""})
    void shouldRefuseEntityIdsThatCouldLeaveTheirSegment(String entityId) {
        final EntityIds.EntityIdRefusedException e =
                assertThrows(EntityIds.EntityIdRefusedException.class, () -> EntityIds.fill(URL, entityId));
        if (!entityId.isEmpty()) assertFalse(e.getMessage().contains(entityId), "the id is not echoed");
    }

    @Test
    void shouldRefuseAMissingEntityIdWhenTheUrlNeedsOne() {
        assertThrows(EntityIds.EntityIdRefusedException.class, () -> EntityIds.fill(URL, null));
    }
}
