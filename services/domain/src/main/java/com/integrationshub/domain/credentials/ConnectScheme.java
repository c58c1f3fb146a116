package com.integrationshub.domain.credentials;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.state.IntegrationState;
import java.util.Optional;

/** Whether an org may connect an integration with an auth scheme: the integration's own, and one this hub serves. */
public final class ConnectScheme {

    private ConnectScheme() {}

    /** Why `auth_scheme` cannot be used to connect the integration, or empty when it can. */
    public static Optional<String> refusal(IntegrationState integration, AuthScheme scheme) {
        if (integration.getAuthScheme() != scheme) {
            return Optional.of("integration '" + integration.getName() + "' uses " + integration.getAuthScheme());
        }
        if (scheme == AuthScheme.OAUTH1) return Optional.of("OAUTH1 is not supported by this service");
        if (scheme == AuthScheme.OAUTH2 && integration.getOauthConnection() == null) {
            return Optional.of("integration '" + integration.getName() + "' has no oauth_connection");
        }
        return Optional.empty();
    }
}
