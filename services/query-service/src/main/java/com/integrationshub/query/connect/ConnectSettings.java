package com.integrationshub.query.connect;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;

/**
 * The hosted connect page (hub.connect.* in application.yml).
 *
 * @param returnUrls       the URL prefixes a session's return_url must fall under ({@link ReturnUrlAllowList}); empty
 *     or absent: a session with a return_url is refused
 * @param defaultExpiresIn a session's lifetime when the request names none (30 min)
 * @param maxExpiresIn     the longest lifetime a request may ask for (1 h); at least a minute
 */
@ConfigurationProperties(ConnectSettings.PREFIX)
public record ConnectSettings(
        @Nullable List<String> returnUrls,
        @Bindable(defaultValue = "30m") Duration defaultExpiresIn,
        @Bindable(defaultValue = "1h") Duration maxExpiresIn) {

    /** The configuration prefix. */
    public static final String PREFIX = "hub.connect";

    /** The shortest lifetime a request may ask for. */
    public static final Duration MIN_EXPIRES_IN = Duration.ofMinutes(1);

    public ConnectSettings {
        returnUrls = returnUrls == null ? List.of() : List.copyOf(returnUrls);
        if (maxExpiresIn.compareTo(MIN_EXPIRES_IN) < 0) {
            throw new IllegalArgumentException(PREFIX + ".max-expires-in must be at least 60s");
        }
        if (defaultExpiresIn.compareTo(MIN_EXPIRES_IN) < 0 || defaultExpiresIn.compareTo(maxExpiresIn) > 0) {
            throw new IllegalArgumentException(
                    PREFIX + ".default-expires-in must be between 60s and " + PREFIX + ".max-expires-in");
        }
    }
}
