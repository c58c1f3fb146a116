package com.integrationshub.refresher;

import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.oauth.client.ClientAuthentication;
import com.integrationshub.oauth.client.OAuthClient;
import com.integrationshub.oauth.client.TokenRequest;
import com.integrationshub.runtime.secrets.SecretBox;

/**
 * One call to a provider's token endpoint for a token, in the shared OAuth client's terms: the grant (the refresh
 * token, or client credentials) and how the client authenticates. The secrets are opened only here, just before
 * the call, and live only as long as it.
 *
 * @param url    the token URL (its {@code {entity_id}} filled)
 * @param client the client and how it authenticates
 * @param grant  the grant of the request
 */
record ProviderCall(String url, OAuthClient client, TokenRequest grant) {

    /**
     * Returns the call that refreshes (or, for client credentials, fetches) the token at {@code url}.
     *
     * @throws SecretBox.SecretNotOpenedException when the refresh token or the client secret does not open
     */
    static ProviderCall of(TokenEntry t, String url, SecretBox box) {
        final ConnectionEntry c = t.connection;
        final TokenRequest grant = c.clientCredentials()
                ? TokenRequest.clientCredentials(c.scopes)
                : TokenRequest.refreshToken(box.open(t.refreshToken(), SecretPlaces.refreshToken(t.tokenId())));
        final String secret =
                c.clientSecret == null ? null : box.open(c.clientSecret, SecretPlaces.clientSecret(c.name));
        final OAuthClient client = new OAuthClient(
                c.clientId,
                secret,
                c.clientAuth == ClientAuthMethod.CLIENT_SECRET_BASIC
                        ? ClientAuthentication.BASIC
                        : ClientAuthentication.POST);
        return new ProviderCall(url, client, grant);
    }

    @Override
    public String toString() {
        return "ProviderCall[" + url + ", " + grant.grantType() + ", " + client + "]";
    }
}
