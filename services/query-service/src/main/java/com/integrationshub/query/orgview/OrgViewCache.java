package com.integrationshub.query.orgview;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.token.TokenChoice;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.store.StoreNotReadyException;
import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Org views (the hot path) as last rendered from this instance's own stores, answered again while a read from the
 * stores would render the same: every key the view was read from is unchanged ({@link ViewChanges}), the views were
 * not rebalanced or restored, the token it shows has not expired, and its time to live (it holds revealed secrets)
 * is not over. Only views read wholly from this instance's active stores are kept: a token on another instance's
 * partition changes without this instance hearing of it.
 */
@Singleton
public class OrgViewCache {

    private final ViewChanges changes;
    private final ReadRouter router;
    private final Clock clock;
    private final OrgViewCacheSettings settings;
    private final Cache<Key, OrgViewEntry> entries;

    public OrgViewCache(
            ViewChanges changes,
            ReadRouter router,
            Clock clock,
            OrgViewCacheSettings settings,
            MeterRegistry registry) {
        this.changes = changes;
        this.router = router;
        this.clock = clock;
        this.settings = settings;
        this.entries = settings.enabled()
                ? Caffeine.newBuilder()
                        .maximumWeight(settings.maxBytes())
                        .weigher((Key key, OrgViewEntry entry) -> entry.weight())
                        .expireAfterWrite(settings.ttl())
                        // Removes an entry when its time is up even when nothing else touches the cache.
                        .scheduler(Scheduler.systemScheduler())
                        .recordStats()
                        .build()
                : null;
        // cache_gets_total{cache="org_view",result="hit|miss"}, cache_evictions_total, cache_size: is max-bytes enough?
        if (entries != null) CaffeineCacheMetrics.monitor(registry, entries, "org_view");
    }

    /** Which view: of an integration for an org (null: the global view), with or without the platform's keys. */
    public record Key(String integration, String orgIdOrNull, boolean platformKeys) {}

    /** The rendered view, when it is still what the stores hold. */
    public Optional<OrgViewEntry> find(Key key) {
        if (entries == null) return Optional.empty();
        OrgViewEntry entry = entries.getIfPresent(key);
        if (entry == null) return Optional.empty();
        if (entry.validAt(changes, clock.instant())) return Optional.of(entry);
        entries.asMap().remove(key, entry);
        return Optional.empty();
    }

    /** Taken before the stores are read for a view that may be kept. */
    public OrgViewTicket ticket() {
        return OrgViewTicket.take(changes);
    }

    /**
     * Keeps a view read after `ticket` from this instance's active stores, unless anything changed meanwhile, part of
     * it lives on another instance, or it shows a token past its expiry (a read refreshes those first).
     */
    public void keep(
            OrgViewTicket ticket,
            Key key,
            String body,
            long version,
            IntegrationState integration,
            Optional<MappingState> mapping,
            Optional<OAuthMaterial.Material> material) {
        if (entries == null) return;
        Instant now = clock.instant();
        Instant until = now.plus(settings.ttl());
        String connection = integration.getOauthConnection();
        if (connection != null) {
            if (!activeHere(connection)) return;
            if (material.isPresent()) {
                OAuthMaterial.Material m = material.get();
                TokenStatus status = m.status(now);
                if (status == TokenStatus.EXPIRED) return;
                Instant expiry = m.token().map(TokenState::getExpiresAt).orElse(null);
                if (status == TokenStatus.ACTIVE && expiry != null && expiry.isBefore(until)) until = expiry;
            }
        }
        OrgViewEntry entry = OrgViewEntry.of(
                ticket, changes, body, version, readKeys(integration, mapping, key.orgIdOrNull()), until);
        if (entry != null) entries.put(key, entry);
    }

    /** How many views are held in memory now (expired ones until they are removed). */
    long held() {
        return entries == null ? 0 : entries.estimatedSize();
    }

    /** The view keys an org view is read from: the integration, the org's mapping, the connection and its tokens. */
    static List<String> readKeys(IntegrationState integration, Optional<MappingState> mapping, String orgIdOrNull) {
        List<String> keys = new ArrayList<>(5);
        keys.add(integration.getName());
        if (orgIdOrNull != null) keys.add(Names.mappingKey(integration.getName(), orgIdOrNull));
        String connection = integration.getOauthConnection();
        if (connection != null) {
            keys.add(connection);
            keys.addAll(TokenChoice.candidates(connection, mapping.map(MappingState::getOauthTokenId), orgIdOrNull));
        }
        return keys;
    }

    private boolean activeHere(String routingKey) {
        try {
            return router.views().withoutWaiting().route(routingKey).local();
        } catch (StoreNotReadyException e) {
            return false;
        }
    }
}
