package com.integrationshub.domain.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.state.TokenState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenChoiceTest {

    @Test
    void shouldTryTheOrgsOwnTokenThenTheConnectionsGlobalToken() {
        assertEquals(List.of("halo/org-1", "halo/*global*"), TokenChoice.candidates("halo", Optional.empty(), "org-1"));
    }

    @Test
    void shouldTryTheTokenTheMappingLinksFirstWhenItIsOfThisConnection() {
        assertEquals(
                List.of("halo/org-old", "halo/*global*"),
                TokenChoice.candidates("halo", Optional.of("halo/org-old"), "org-1"));
        assertEquals(
                List.of("halo/org-1", "halo/*global*"),
                TokenChoice.candidates("halo", Optional.of("other/org-1"), "org-1"),
                "a link to another connection's token");
    }

    @Test
    void shouldTryOnlyTheGlobalTokenForTheGlobalScope() {
        assertEquals(List.of("halo/*global*"), TokenChoice.candidates("halo", Optional.empty(), null));
    }

    @Test
    void shouldNotServeARevokedToken() {
        TokenState token = TokenStatusTest.issued(Instant.EPOCH.plusSeconds(60)).get();
        assertTrue(TokenChoice.serves(token));
        assertFalse(TokenChoice.serves(
                TokenState.newBuilder(token).setStatus(TokenDecider.REVOKED).build()));
    }
}
