package com.integrationshub.testkit.oauth;

import java.time.Instant;

/**
 * A token call whose whole answer the stand-in wrote and closed: from here on the caller may hold the tokens in it,
 * whatever it does next.
 *
 * @param call   the call, as {@link OAuthProviderStandIn#calls()} records it
 * @param sentAt when the answer was sent
 */
public record SentAnswer(TokenCall call, Instant sentAt) {

    /** Whether it is the answer to a refresh that issued tokens (and so, with rotation, used its refresh token up). */
    public boolean isSuccessfulRefresh() {
        return OAuthProviderStandIn.REFRESH_TOKEN.equals(call.grantType()) && call.succeeded();
    }
}
