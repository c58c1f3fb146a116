package com.integrationshub.domain.token;

import com.integrationshub.domain.Names;
import com.integrationshub.state.TokenState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which token serves an org, own then global: the org's own (the id its mapping links, when it is a token of this
 * connection, else the org's token of the connection), else the connection's global token.
 */
public final class TokenChoice {

    private TokenChoice() {}

    /**
     * The token ids to try in order for an org (null: the global scope); the first that exists and is not revoked
     * serves.
     */
    public static List<String> candidates(String connectionName, Optional<String> linkedTokenId, String orgIdOrNull) {
        Optional<String> linked = linkedTokenId.filter(id -> id.startsWith(connectionName + "/"));
        String own = linked.orElse(orgIdOrNull == null ? null : Names.tokenId(connectionName, orgIdOrNull));
        String global = Names.tokenId(connectionName, null);
        List<String> ids = new ArrayList<>(2);
        if (own != null) ids.add(own);
        ids.add(global);
        return List.copyOf(ids);
    }

    /** Whether a stored token can serve at all: a revoked one is as good as absent. */
    public static boolean serves(TokenState token) {
        return !TokenDecider.REVOKED.equals(token.getStatus());
    }
}
