package com.integrationshub.query.orgview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.state.IntegrationState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the cache holds in memory: secrets no longer than its time to live, and no more than its bound. */
class OrgViewCacheTest {

    private final ViewChanges changes = new ViewChanges();

    @Test
    void shouldRemoveAViewFromMemoryWhenItsTimeToLiveIsOverThoughNobodyReadsIt() throws InterruptedException {
        OrgViewCache cache = cache(Duration.ofMillis(300), 1 << 20);
        keep(cache, "org-1", "{\"api_key\": \"secret\"}");
        assertEquals(1, cache.held());

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cache.held() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(0, cache.held(), "the view (and its secret) is still held past its time to live");
    }

    @Test
    void shouldHoldNoMoreThanItsBound() throws InterruptedException {
        OrgViewCache cache = cache(Duration.ofMinutes(1), 20_000);
        String body = "x".repeat(900);
        for (int i = 0; i < 1_000; i++) keep(cache, "org-" + i, body);
        // Evictions run in the background, soon after the writes.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cache.held() > 20 && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(cache.held() <= 20, "views of ~1 kB within 20,000 bytes: " + cache.held());
    }

    @Test
    void shouldKeepNothingWhenDisabled() {
        OrgViewCache cache = new OrgViewCache(
                changes,
                null,
                Clock.systemUTC(),
                new OrgViewCacheSettings(false, Duration.ofMinutes(1), 1 << 20),
                new SimpleMeterRegistry());
        IntegrationState integration = new IntegrationState();
        integration.setName("Halo");
        cache.keep(
                cache.ticket(),
                new OrgViewCache.Key("Halo", "org-1", false),
                "{}",
                1,
                integration,
                Optional.empty(),
                Optional.empty());
        assertEquals(0, cache.held());
        assertTrue(cache.find(new OrgViewCache.Key("Halo", "org-1", false)).isEmpty());
    }

    private OrgViewCache cache(Duration ttl, long maxBytes) {
        return new OrgViewCache(
                changes,
                null,
                Clock.systemUTC(),
                new OrgViewCacheSettings(true, ttl, maxBytes),
                new SimpleMeterRegistry());
    }

    private void keep(OrgViewCache cache, String orgId, String body) {
        IntegrationState integration = new IntegrationState();
        integration.setName("Halo");
        var key = new OrgViewCache.Key("Halo", orgId, false);
        cache.keep(cache.ticket(), key, body, 1, integration, Optional.empty(), Optional.empty());
        if (cache.held() == 0) throw new AssertionError("not kept");
    }
}
