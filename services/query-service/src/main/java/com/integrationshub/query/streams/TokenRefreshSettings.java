package com.integrationshub.query.streams;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * What the command processor needs of the refresher's settings (hub.refresher.* in application.yml).
 *
 * @param minInterval a token refreshed less than this ago is not refreshed again on request (POST .../refresh, an
 *                    expired read): the request is answered with the current expiry (default 30 s)
 */
@ConfigurationProperties("hub.refresher")
public record TokenRefreshSettings(
        @Bindable(defaultValue = "30s") Duration minInterval) {}
