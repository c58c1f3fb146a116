package com.integrationshub.query.proxy;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the proxy calls providers (hub.proxy.* in application.yml).
 *
 * @param connectTimeout how long connecting to the provider may take (then 504)
 * @param readTimeout how long the provider may take to answer with its status and headers (then 504); the body
 *     then streams for as long as it takes
 * @param maxReplayBytes a request body up to this size (by Content-Length) is held in memory so that it can be sent
 *     again after a refresh on a 401; a larger or chunked body is streamed and not retried
 */
@ConfigurationProperties("hub.proxy")
public record ProxySettings(
        @Bindable(defaultValue = "10s") Duration connectTimeout,
        @Bindable(defaultValue = "60s") Duration readTimeout,
        @Bindable(defaultValue = "65536") int maxReplayBytes) {}
