package com.integrationshub.query.connect;

import com.integrationshub.runtime.security.SecuritySettings;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/** The plain connect-session pieces as beans, from their settings. */
@Factory
public class ConnectSessionFactory {

    /** Session tokens keyed from the hub's JWT secret (a key of their own, derived from it). */
    @Singleton
    public ConnectSessionTokens tokens(SecuritySettings security) {
        String secret = security.jwtSecret() == null ? "" : security.jwtSecret();
        return new ConnectSessionTokens(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The configured return URL allow-list; a bad entry stops the start, naming its index. */
    @Singleton
    public ReturnUrlAllowList returnUrls(ConnectSettings settings) {
        return new ReturnUrlAllowList(settings.returnUrls());
    }
}
