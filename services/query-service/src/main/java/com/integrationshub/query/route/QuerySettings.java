package com.integrationshub.query.route;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * How reads of the views wait (hub.queries.* in application.yml).
 *
 * @param storeWait how long a read waits for its store to become queryable (restore, rebalance) before 503; required
 */
@ConfigurationProperties("hub.queries")
public record QuerySettings(Duration storeWait) {}
