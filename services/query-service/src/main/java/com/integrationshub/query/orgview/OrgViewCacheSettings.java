package com.integrationshub.query.orgview;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The cache of rendered org views (hub.org-view-cache.* in application.yml).
 *
 * @param enabled whether org views are cached at all
 * @param ttl how long a rendered view (which holds revealed secrets) is kept at most, however valid it stays; it is
 *     removed from memory when its time is up
 * @param maxBytes how many bytes of rendered views are kept at most (the least used go first)
 */
@ConfigurationProperties("hub.org-view-cache")
public record OrgViewCacheSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "30s") Duration ttl,
        @Bindable(defaultValue = "33554432") long maxBytes) {

    public OrgViewCacheSettings {
        if (ttl.isNegative() || ttl.isZero())
            throw new IllegalArgumentException("hub.org-view-cache.ttl must be positive");
        if (maxBytes < 1) throw new IllegalArgumentException("hub.org-view-cache.max-bytes must be at least 1");
    }
}
