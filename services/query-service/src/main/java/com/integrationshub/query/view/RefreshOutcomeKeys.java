package com.integrationshub.query.view;

/**
 * The key of the outcome that answers a token's refresh requests: published with the views' change that holds the
 * token's refresh (or a new token), and watched by every request waiting on the token.
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
