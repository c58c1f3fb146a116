package com.integrationshub.refresher;

import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.oauth.client.EntityIds;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the refresher keeps of an OAuth connection: how to call its token endpoint, and its tokens by org (the global
 * token under {@link com.integrationshub.domain.Names#GLOBAL_SCOPE}). Confined to the scheduler thread.
 */
final class ConnectionEntry {

    final String name;
    final int partition;
    final TokenIndex tokens = new TokenIndex();
    /** False while only token events of the connection have been seen (its definition is missing or deleted). */
    boolean defined;
    /** A digest of the id of the event that created the connection: part of the ids of its first commands. */
    long incarnation;
    /** Counts definitions (created, updated): an answer to a call made under an older one may be stale. */
    int generation;

    GrantType grantType;
    String clientId;
    SealedSecret clientSecret;
    String tokenUrl;
    List<String> scopes = List.of();
    ClientAuthMethod clientAuth;
    Duration margin;
    /** How the provider treats a refresh token presented again (null: strict), and its grace in seconds. */
    RefreshTokenRotation rotation;

    Long graceSeconds;

    ConnectionEntry(String name, int partition) {
        this.name = name;
        this.partition = partition;
    }

    /** Whether the service fetches this connection's tokens itself (client credentials). */
    boolean clientCredentials() {
        return defined && grantType == GrantType.CLIENT_CREDENTIALS;
    }

    /** The connection's own refresh margin, if it sets one. */
    Optional<Duration> margin() {
        return Optional.ofNullable(margin);
    }

    /**
     * The token URL for a token of an entity, or empty when the URL needs an entity id the token does not have (or
     * one that cannot be a path segment, see {@link EntityIds}).
     */
    Optional<String> tokenUrlFor(String entityId) {
        try {
            return Optional.of(EntityIds.fill(tokenUrl, entityId));
        } catch (EntityIds.EntityIdRefusedException e) {
            return Optional.empty();
        }
    }
}
