package com.integrationshub.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static final String FP = IdempotencyKeys.fingerprint("\"3\"", "{\"a\":1}");

    @Test
    void shouldGiveTheSameIdToTheSameCallerKindResourceKeyAndRequest() {
        assertEquals(
                IdempotencyKeys.commandId("alice", "org-a", "SetCredentials", "r", "shared-1", FP),
                IdempotencyKeys.commandId("alice", "org-a", "SetCredentials", "r", "shared-1", FP));
    }

    @Test
    void shouldKeepTenantsCommandsAndResourcesApart() {
        String a = IdempotencyKeys.commandId("svc", "org-a", "SetCredentials", "integration/K/org-a", "shared-1", FP);
        String b = IdempotencyKeys.commandId("svc", "org-b", "SetCredentials", "integration/K/org-a", "shared-1", FP);
        String admin = IdempotencyKeys.commandId("svc", null, "SetCredentials", "integration/K/org-a", "shared-1", FP);
        String patch =
                IdempotencyKeys.commandId("svc", "org-a", "UpdateIntegration", "integration/K/org-a", "shared-1", FP);
        String other =
                IdempotencyKeys.commandId("svc", "org-a", "SetCredentials", "integration/K/org-b", "shared-1", FP);
        String subject =
                IdempotencyKeys.commandId("svc2", "org-a", "SetCredentials", "integration/K/org-a", "shared-1", FP);
        for (String id : new String[] {b, admin, patch, other, subject}) {
            assertNotEquals(IdempotencyKeys.replayKey(a), IdempotencyKeys.replayKey(id));
        }
    }

    @Test
    void shouldRememberTheSameScopeWhateverTheRequestSoAChangedRequestIsSeen() {
        String first = IdempotencyKeys.commandId("svc", "org-a", "UpsertMapping", "r", "k1", FP);
        String changed = IdempotencyKeys.commandId(
                "svc", "org-a", "UpsertMapping", "r", "k1", IdempotencyKeys.fingerprint("\"3\"", "{\"a\":2}"));
        assertNotEquals(first, changed, "a different request is a different command id");
        assertEquals(IdempotencyKeys.replayKey(first), IdempotencyKeys.replayKey(changed), "but the same scope");
    }

    @Test
    void shouldNotConfuseTheBoundariesOfTheParts() {
        assertNotEquals(IdempotencyKeys.fingerprint("ab", "c"), IdempotencyKeys.fingerprint("a", "bc"));
        assertNotEquals(IdempotencyKeys.fingerprint((String) null), IdempotencyKeys.fingerprint(""));
    }

    @Test
    void shouldRememberOtherCommandIdsAsThemselves() {
        assertEquals(
                "0b7c3c44-4c1e-4f56-9a0b-1d2e3f405060",
                IdempotencyKeys.replayKey("0b7c3c44-4c1e-4f56-9a0b-1d2e3f405060"));
        assertEquals("k.", IdempotencyKeys.replayKey("k."));
    }

    @Test
    void shouldMakeIdsThatAreValidNames() {
        String id = IdempotencyKeys.commandId("s", "o", "k", "r", "key", FP);
        assertTrue(Names.valid(id), id);
    }

    @Test
    void shouldNameTheHeaderInTheProblemOfAReusedKey() {
        var problem = IdempotencyKeys.reused();
        assertEquals(422, problem.getStatus());
        assertEquals("Idempotency-Key", problem.getErrors().get(0).getField());
    }
}
