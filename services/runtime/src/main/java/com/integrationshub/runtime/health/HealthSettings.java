package com.integrationshub.runtime.health;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the health checks call out (hub.health.* in application.yml).
 *
 * @param cacheFor /health is open, so its broker and registry checks call out at most once per this period
 *                 (default 2 s)
 */
@ConfigurationProperties("hub.health")
public record HealthSettings(@Bindable(defaultValue = "2s") Duration cacheFor) {}
