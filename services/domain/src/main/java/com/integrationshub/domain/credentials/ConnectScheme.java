package com.integrationshub.domain.credentials;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.GrantType;
import com.integrationshub.state.IntegrationState;
import java.util.Optional;

/** Whether an org may connect an integration with an auth scheme: the integration's own, and one this hub serves. */
public final class ConnectScheme {

    private ConnectScheme() {}

    /**
     * Why `auth_scheme` cannot be used to connect the integration, or empty when it can. Whether the integration's
     * OAuth connection speaks that protocol is {@link #grantRefusal}'s to say, once the connection is read.
     */
    public static Optional<String> refusal(IntegrationState integration, AuthScheme scheme) {
        if (integration.getAuthScheme() != scheme) {
            return Optional.of("integration '" + integration.getName() + "' uses " + integration.getAuthScheme());
        }
        if ((scheme == AuthScheme.OAUTH2 || scheme == AuthScheme.OAUTH1) && integration.getOauthConnection() == null) {
            return Optional.of("integration '" + integration.getName() + "' has no oauth_connection");
        }
        return Optional.empty();
    }

    /** Why an integration of `scheme` cannot connect through a connection of `grant`, or empty when it can. */
    public static Optional<String> grantRefusal(AuthScheme scheme, GrantType grant, String connectionName) {
        if (scheme == AuthScheme.OAUTH1 && grant != GrantType.OAUTH1) {
            return Optional.of("OAuth connection '" + connectionName + "' is OAuth 2.0, the integration OAUTH1");
        }
        if (scheme == AuthScheme.OAUTH2 && grant == GrantType.OAUTH1) {
            return Optional.of("OAuth connection '" + connectionName + "' is OAuth 1.0a, the integration OAUTH2");
        }
        return Optional.empty();
    }
}
