package com.integrationshub.query.oauth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * How this service runs OAuth flows (hub.oauth.* in application.yml; the outbound guard's hub.oauth.allow-* keys
 * are {@code OutboundSettings}).
 *
 * @param redirectUri where providers send the person back; empty or absent means this instance's own
 *     /v1/oauth/callback
 * @param authorizationTtl how long a started authorization (its state and PKCE verifier) stays usable; required
 * @param tokenEndpointTimeout connect and read timeout of this service's token endpoint calls; required
 * @param refreshWait how long POST .../refresh, or a read that found its token expired, waits for the refresher's
 *     answer; required
 */
@ConfigurationProperties("hub.oauth")
public record OAuthFlowSettings(
        @Nullable String redirectUri, Duration authorizationTtl, Duration tokenEndpointTimeout, Duration refreshWait) {

    /** The configured redirect URI, or empty for this instance's own callback. */
    public String configuredRedirectUri() {
        return redirectUri == null ? "" : redirectUri;
    }
}
