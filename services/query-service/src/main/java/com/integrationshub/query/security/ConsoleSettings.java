package com.integrationshub.query.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The console's sign-in (hub.console.* in application.yml).
 *
 * @param sessionTtl how long a console session lasts after sign-in (never longer than hub.security.max-token-lifetime)
 * @param secureCookie whether the session cookie is {@code Secure} (sent over https only); only a local stack on
 *     plain http turns it off
 * @param maxPendingTickets how many redeemed one-time login tickets an instance remembers until they expire; a
 *     ticket past that is refused (they are minted only with the JWT secret, so this is never reached in practice)
 */
@ConfigurationProperties("hub.console")
public record ConsoleSettings(
        @Bindable(defaultValue = "8h") Duration sessionTtl,
        @Bindable(defaultValue = "true") boolean secureCookie,
        @Bindable(defaultValue = "10000") int maxPendingTickets) {}
