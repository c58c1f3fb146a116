package com.integrationshub.query.orgview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.domain.Names;
import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a kept org view is still what a read from the stores would render (no Kafka: the rules alone). */
class OrgViewEntryTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Instant UNTIL = NOW.plusSeconds(30);
    private static final List<String> KEYS = List.of("Halo", Names.mappingKey("Halo", "org-1"));

    private final ViewChanges changes = new ViewChanges();

    @Test
    void shouldStayValidWhileNothingItWasReadFromChanges() {
        OrgViewEntry entry = keptNow();
        changes.changed("Other");
        changes.changed(Names.mappingKey("Halo", "org-2"));
        assertTrue(entry.validAt(changes, NOW), "changes of other keys leave it valid");
    }

    @Test
    void shouldBeInvalidOnceAnyKeyItWasReadFromChanges() {
        for (String key : KEYS) {
            OrgViewEntry entry = keptNow();
            changes.changed(key);
            assertFalse(entry.validAt(changes, NOW), "after a change of " + key);
        }
    }

    @Test
    void shouldBeInvalidAfterARebalanceOrRestoration() {
        OrgViewEntry entry = keptNow();
        changes.changedAll();
        assertFalse(entry.validAt(changes, NOW));
    }

    @Test
    void shouldBeInvalidFromItsDeadline() {
        OrgViewEntry entry = keptNow();
        assertTrue(entry.validAt(changes, UNTIL.minusMillis(1)));
        assertFalse(entry.validAt(changes, UNTIL), "at its deadline (time to live or the token's expiry)");
    }

    @Test
    void shouldNotBeKeptWhenAnyViewChangedBetweenTheTicketAndTheRead() {
        OrgViewTicket ticket = OrgViewTicket.take(changes);
        // A change of an unrelated key: the read may still have mixed states, so nothing is kept.
        changes.changed("Other");
        assertNull(OrgViewEntry.of(ticket, changes, "{}", 1, KEYS, UNTIL));

        OrgViewTicket after = OrgViewTicket.take(changes);
        changes.changedAll();
        assertNull(OrgViewEntry.of(after, changes, "{}", 1, KEYS, UNTIL), "a rebalance during the read");
    }

    @Test
    void shouldBeReadFromTheIntegrationTheMappingTheConnectionAndTheTokensThatCouldServe() {
        IntegrationState plain = integration(null);
        assertEquals(
                List.of("Halo", Names.mappingKey("Halo", "org-1")),
                OrgViewCache.readKeys(plain, Optional.empty(), "org-1"),
                "an absent mapping is read too: its creation changes the view");
        assertEquals(List.of("Halo"), OrgViewCache.readKeys(plain, Optional.empty(), null), "the global view");

        IntegrationState oauth = integration("acme");
        MappingState linked = new MappingState();
        linked.setIntegrationName("Halo");
        linked.setOrgId("org-1");
        linked.setOauthTokenId(Names.tokenId("acme", "org-9"));
        assertEquals(
                List.of(
                        "Halo",
                        Names.mappingKey("Halo", "org-1"),
                        "acme",
                        Names.tokenId("acme", "org-9"),
                        Names.tokenId("acme", null)),
                OrgViewCache.readKeys(oauth, Optional.of(linked), "org-1"),
                "the linked token, then the connection's global one");
    }

    private OrgViewEntry keptNow() {
        OrgViewEntry entry = OrgViewEntry.of(OrgViewTicket.take(changes), changes, "{}", 1, KEYS, UNTIL);
        assertNotNull(entry);
        assertTrue(entry.validAt(changes, NOW));
        return entry;
    }

    /** Only what the read keys depend on: the name and the connection. */
    private static IntegrationState integration(String connection) {
        IntegrationState integration = new IntegrationState();
        integration.setName("Halo");
        integration.setOauthConnection(connection);
        return integration;
    }
}
