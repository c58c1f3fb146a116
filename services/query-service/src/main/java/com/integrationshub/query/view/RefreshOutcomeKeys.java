package com.integrationshub.query.view;

/**
 * The key of the outcome that answers a token's refresh requests: the view builder publishes it when the token's
 * refresh (or a new token) is in the views, and every request waiting on the token watches it.
 */
public final class RefreshOutcomeKeys {

    /** The prefix; the token id follows. */
    public static final String PREFIX = "refresh-token:";

    private RefreshOutcomeKeys() {}

    /** The outcome key of a token's refresh answers. */
    public static String of(String tokenId) {
        return PREFIX + tokenId;
    }
}
