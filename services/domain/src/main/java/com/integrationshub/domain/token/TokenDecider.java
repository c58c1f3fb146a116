package com.integrationshub.domain.token;

import com.integrationshub.commands.EndAuthorization;
import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.commands.RevokeToken;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.AuthorizationEnded;
import com.integrationshub.events.AuthorizationStarted;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshAttempted;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.TokenState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides the commands of an OAuth connection's tokens: starting an authorization, issuing a token (single-use
 * state for the authorization code; none for client credentials), the refresher's outcomes, refresh requests,
 * revocation. Tokens live with their connection (same key), so all of this is decided in one place.
 */
public final class TokenDecider {

    public static final String ACTIVE = "active";
    public static final String NEEDS_REAUTH = "needs_reauth";
    public static final String REVOKED = "revoked";

    private TokenDecider() {}

    /** Starts an authorization-code flow on an authorization-code connection. */
    public static Decision decide(StartAuthorization cmd, Optional<ConnectionState> connection, Instant now) {
        if (connection.isEmpty())
            return Decision.reject(Problems.notFound("OAuth connection", cmd.getConnectionName()));
        GrantType grant = connection.get().getGrantType();
        if (grant == GrantType.CLIENT_CREDENTIALS) {
            return Decision.reject(Problems.invalid(
                    "connection '" + cmd.getConnectionName()
                            + "' uses client_credentials: the service fetches its tokens, no person authorizes",
                    List.of()));
        }
        // An OAuth 1.0a flow is known by its temporary token, an OAuth 2.0 one has none: the flow must be the
        // connection's.
        if ((grant == GrantType.OAUTH1) != (cmd.getTemporaryTokenHash() != null)) {
            return Decision.reject(Problems.invalid(
                    "connection '" + cmd.getConnectionName() + "' is "
                            + (grant == GrantType.OAUTH1 ? "OAuth 1.0a" : "OAuth 2.0")
                            + ": the flow must be of that protocol",
                    List.of()));
        }
        return Decision.accept(AuthorizationStarted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(
                        Names.connectionAggregate(cmd.getConnectionName()) + "/authorization/" + cmd.getStateHash())
                .setVersion(1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionId(cmd.getConnectionId())
                .setStateHash(cmd.getStateHash())
                .setConnectionName(cmd.getConnectionName())
                .setIntegrationName(cmd.getIntegrationName())
                .setOrgId(cmd.getOrgId())
                .setEntityId(cmd.getEntityId())
                .setPkceVerifier(cmd.getPkceVerifier())
                .setRedirectUri(cmd.getRedirectUri())
                .setExpiresAt(cmd.getExpiresAt())
                .setTemporaryTokenHash(cmd.getTemporaryTokenHash())
                .setAuthScheme(cmd.getAuthScheme())
                .build());
    }

    /**
     * Uses up an authorization that gave no token (the provider answered an error, or the code exchange failed), so
     * its state cannot be tried again; only a known, unused one.
     */
    public static Decision decide(EndAuthorization cmd, Optional<AuthorizationState> authorization, Instant now) {
        if (authorization.isEmpty() || !authorization.get().getConnectionName().equals(cmd.getConnectionName())) {
            return Decision.reject(Problems.invalidState("unknown state"));
        }
        if (authorization.get().getUsed()) return Decision.reject(Problems.invalidState("the state was already used"));
        return Decision.accept(AuthorizationEnded.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(
                        Names.connectionAggregate(cmd.getConnectionName()) + "/authorization/" + cmd.getStateHash())
                .setVersion(authorization.get().getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionName(cmd.getConnectionName())
                .setStateHash(cmd.getStateHash())
                .setReason(cmd.getReason())
                .build());
    }

    /** Issues a token: with a state, only for a known, unused, unexpired authorization; without, for client credentials. */
    public static Decision decide(
            IssueToken cmd,
            Optional<ConnectionState> connection,
            Optional<AuthorizationState> authorization,
            Optional<TokenState> current,
            Instant now) {
        if (connection.isEmpty())
            return Decision.reject(Problems.notFound("OAuth connection", cmd.getConnectionName()));
        if (cmd.getStateHash() != null) {
            if (authorization.isEmpty()) return Decision.reject(Problems.invalidState("unknown state"));
            if (authorization.get().getUsed())
                return Decision.reject(Problems.invalidState("the state was already used"));
            if (!now.isBefore(authorization.get().getExpiresAt())) {
                return Decision.reject(Problems.invalidState("the authorization expired; start again"));
            }
        } else if (connection.get().getGrantType() != GrantType.CLIENT_CREDENTIALS) {
            return Decision.reject(
                    Problems.invalid("an authorization-code token needs the state of its flow", List.of()));
        }
        String tokenId = Names.tokenId(cmd.getConnectionName(), cmd.getOrgId());
        if (!tokenId.equals(cmd.getTokenId())) {
            return Decision.reject(Problems.invalid("token_id must be " + tokenId, List.of()));
        }
        // OAuth 1.0a signs with the token secret; an OAuth 2.0 token has none.
        if ((connection.get().getGrantType() == GrantType.OAUTH1) != (cmd.getTokenSecret() != null)) {
            return Decision.reject(Problems.invalid(
                    "an OAuth 1.0a token needs its token secret, an OAuth 2.0 token has none", List.of()));
        }
        return Decision.accept(TokenIssued.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(current.map(t -> t.getVersion() + 1).orElse(1L))
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(tokenId)
                .setConnectionName(cmd.getConnectionName())
                .setIntegrationName(cmd.getIntegrationName())
                .setOrgId(cmd.getOrgId())
                .setEntityId(cmd.getEntityId())
                .setStateHash(cmd.getStateHash())
                .setAccessToken(cmd.getAccessToken())
                .setRefreshToken(cmd.getRefreshToken())
                .setTokenType(cmd.getTokenType())
                .setExpiresAt(cmd.getExpiresAt())
                .setScopes(cmd.getScopes())
                .setTokenSecret(cmd.getTokenSecret())
                .setAuthScheme(cmd.getAuthScheme())
                .setIssuedAt(now)
                .build());
    }

    /** The reason of the failure recorded for an attempt whose outcome was lost (see {@link TokenRefreshAttempted}). */
    public static final String OUTCOME_LOST = "refresh_outcome_lost";

    /**
     * The refresher is about to present the token's refresh token (the one the fingerprint names) to the provider:
     * recorded before the call, so whoever owns the token next sees the attempt even if its outcome is lost. Only
     * for an active token at expected_version whose refresh token is still that one.
     */
    public static Decision decide(RecordRefreshAttempt cmd, Optional<TokenState> current, Instant now) {
        Optional<Decision> refused = checkToken(cmd.getTokenId(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        TokenState t = current.get();
        if (!ACTIVE.equals(t.getStatus())) {
            return Decision.reject(Problems.needsReauth("the token is " + t.getStatus() + ": nothing to refresh"));
        }
        if (t.getRefreshToken() == null || !fingerprint(t.getRefreshToken()).equals(cmd.getRefreshTokenFingerprint())) {
            return Decision.reject(
                    Problems.invalid("refresh_token_fingerprint is not the token's refresh token", List.of()));
        }
        return Decision.accept(TokenRefreshAttempted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(t.getTokenId()))
                .setVersion(t.getVersion())
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(t.getTokenId())
                .setConnectionName(t.getConnectionName())
                .setIntegrationName(t.getIntegrationName())
                .setOrgId(t.getOrgId())
                .setRefreshTokenFingerprint(cmd.getRefreshTokenFingerprint())
                .build());
    }

    /**
     * The refresher refreshed the token it saw at expected_version. A provider's answer is applied even when the
     * version changed meanwhile, as long as the refresh token it was made from is still the token's (the change was
     * a failure recorded meanwhile, e.g. {@link #OUTCOME_LOST} by a new owner): the provider has spent that refresh
     * token, so the new pair is the only one that works. A reconnect (a new refresh token), a newer successful
     * refresh or a revocation wins.
     */
    public static Decision decide(RecordTokenRefresh cmd, Optional<TokenState> current, Instant now) {
        Optional<Decision> refused = checkToken(cmd.getTokenId(), cmd.getExpectedVersion(), current);
        if (refused.isPresent() && !madeFromCurrentRefreshToken(cmd, current)) return refused.get();
        TokenState t = current.get();
        if (refused.isEmpty() && madeFromAnotherRefreshToken(cmd, t)) {
            // Same version number, another token: the connection was deleted and made again, and the org connected
            // again, while the old grant's answer was on its way. It must not bring the old grant back.
            return Decision.reject(
                    Problems.conflict("the answer was made from another refresh token than the token's"));
        }
        return Decision.accept(TokenRefreshed.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(t.getTokenId()))
                .setVersion(t.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(t.getTokenId())
                .setConnectionName(t.getConnectionName())
                .setIntegrationName(t.getIntegrationName())
                .setOrgId(t.getOrgId())
                .setAccessToken(cmd.getAccessToken())
                .setRefreshToken(cmd.getRefreshToken())
                .setExpiresAt(cmd.getExpiresAt())
                .setRefreshedAt(now)
                .setAttempts(cmd.getAttempts())
                .setRequestId(cmd.getRequestId())
                .build());
    }

    /** The refresher failed to refresh the token it saw at expected_version. */
    public static Decision decide(RecordTokenRefreshFailure cmd, Optional<TokenState> current, Instant now) {
        Optional<Decision> refused = checkToken(cmd.getTokenId(), cmd.getExpectedVersion(), current);
        if (refused.isPresent()) return refused.get();
        TokenState t = current.get();
        return Decision.accept(TokenRefreshFailed.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(t.getTokenId()))
                .setVersion(t.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(t.getTokenId())
                .setConnectionName(t.getConnectionName())
                .setIntegrationName(t.getIntegrationName())
                .setOrgId(t.getOrgId())
                .setReason(cmd.getReason())
                .setAttempts(cmd.getAttempts())
                .setNeedsReauth(cmd.getNeedsReauth())
                .setNextAttemptAt(cmd.getNextAttemptAt())
                .setRequestId(cmd.getRequestId())
                .build());
    }

    /** Someone asks for a refresh now; only a token that can still be refreshed. */
    public static Decision decide(
            RequestTokenRefresh cmd, Optional<ConnectionState> connection, Optional<TokenState> current, Instant now) {
        return decide(cmd, connection, current, Duration.ZERO, now);
    }

    /**
     * Someone asks for a refresh now. A token refreshed less than {@code minInterval} ago is not refreshed again:
     * the request is answered with {@link Problems#refreshedRecently} (appending nothing), which the caller reads as
     * "here is the current token", so repeated requests cannot turn into provider calls. A request naming the
     * token's current version as rejected (the provider answered 401 to it) is refreshed regardless: a later version
     * means someone refreshed since, and the interval applies again.
     */
    public static Decision decide(
            RequestTokenRefresh cmd,
            Optional<ConnectionState> connection,
            Optional<TokenState> current,
            Duration minInterval,
            Instant now) {
        if (current.isEmpty() || REVOKED.equals(current.get().getStatus())) {
            return Decision.reject(Problems.notAuthorized("there is no token to refresh: connect first"));
        }
        TokenState t = current.get();
        if (NEEDS_REAUTH.equals(t.getStatus())) {
            return Decision.reject(Problems.needsReauth(
                    OUTCOME_LOST.equals(t.getLastFailure())
                            ? "the answer to the last refresh was lost and its refresh token may be spent: connect again"
                            : "the provider refused the last refresh: connect again"));
        }
        if (connection.map(c -> c.getGrantType() == GrantType.OAUTH1).orElse(false)) {
            return Decision.reject(Problems.invalid(
                    "an OAuth 1.0a token is not refreshed: it stays valid until revoked (connect again to replace it)",
                    List.of()));
        }
        boolean clientCredentials = connection
                .map(c -> c.getGrantType() == GrantType.CLIENT_CREDENTIALS)
                .orElse(false);
        if (t.getRefreshToken() == null && !clientCredentials) {
            return Decision.reject(Problems.needsReauth("the provider gave no refresh token: connect again"));
        }
        // A provider refused this very version's access token: refreshed recently or not, it is useless now.
        boolean refused = cmd.getRejectedVersion() != null && cmd.getRejectedVersion() == t.getVersion();
        if (!refused && refreshedWithin(t, minInterval, now))
            return Decision.reject(Problems.refreshedRecently(t.getRefreshedAt()));
        return Decision.accept(TokenRefreshRequested.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(t.getTokenId()))
                .setVersion(t.getVersion())
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(t.getTokenId())
                .setConnectionName(t.getConnectionName())
                .setIntegrationName(t.getIntegrationName())
                .setOrgId(t.getOrgId())
                .setRequestId(cmd.getCommandId())
                .build());
    }

    /** Revokes the token. */
    public static Decision decide(RevokeToken cmd, Optional<TokenState> current, Instant now) {
        if (current.isEmpty()) return Decision.reject(Problems.notFound("token", cmd.getTokenId()));
        TokenState t = current.get();
        return Decision.accept(TokenRevoked.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.tokenAggregate(t.getTokenId()))
                .setVersion(t.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setTokenId(t.getTokenId())
                .setConnectionName(t.getConnectionName())
                .setIntegrationName(t.getIntegrationName())
                .setOrgId(t.getOrgId())
                .setReason(cmd.getReason())
                .build());
    }

    /** The token after one of its events. */
    public static Optional<TokenState> evolve(Optional<TokenState> state, SpecificRecord event) {
        if (event instanceof TokenIssued e) {
            return Optional.of(TokenState.newBuilder()
                    .setTokenId(e.getTokenId())
                    .setConnectionName(e.getConnectionName())
                    .setIntegrationName(e.getIntegrationName())
                    .setOrgId(e.getOrgId())
                    .setEntityId(e.getEntityId())
                    .setAccessToken(e.getAccessToken())
                    .setRefreshToken(e.getRefreshToken())
                    .setTokenType(e.getTokenType())
                    .setExpiresAt(e.getExpiresAt())
                    .setScopes(e.getScopes())
                    .setTokenSecret(e.getTokenSecret())
                    .setAuthScheme(e.getAuthScheme())
                    .setStatus(ACTIVE)
                    .setLastFailure(null)
                    .setVersion(e.getVersion())
                    .setIssuedAt(e.getIssuedAt())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (state.isEmpty()) return state;
        TokenState.Builder next = TokenState.newBuilder(state.get());
        if (event instanceof TokenRefreshed e) {
            next.setAccessToken(e.getAccessToken())
                    .setExpiresAt(e.getExpiresAt())
                    .setStatus(ACTIVE)
                    .setLastFailure(null)
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt())
                    .setRefreshedAt(e.getRefreshedAt());
            if (e.getRefreshToken() != null) next.setRefreshToken(e.getRefreshToken());
        } else if (event instanceof TokenRefreshFailed e) {
            next.setLastFailure(e.getReason()).setVersion(e.getVersion()).setUpdatedAt(e.getOccurredAt());
            if (e.getNeedsReauth()) next.setStatus(NEEDS_REAUTH);
        } else if (event instanceof TokenRevoked e) {
            next.setStatus(REVOKED).setVersion(e.getVersion()).setUpdatedAt(e.getOccurredAt());
        } else if (event instanceof OAuthConnectionDeleted) {
            return Optional.empty();
        } else {
            return state;
        }
        return Optional.of(next.build());
    }

    /** The authorization after an event: started, used by the token it issued, or used up without one. */
    public static Optional<AuthorizationState> evolveAuthorization(
            Optional<AuthorizationState> state, SpecificRecord event) {
        if (event instanceof AuthorizationStarted e) {
            return Optional.of(AuthorizationState.newBuilder()
                    .setStateHash(e.getStateHash())
                    .setConnectionId(e.getConnectionId())
                    .setConnectionName(e.getConnectionName())
                    .setIntegrationName(e.getIntegrationName())
                    .setOrgId(e.getOrgId())
                    .setEntityId(e.getEntityId())
                    .setPkceVerifier(e.getPkceVerifier())
                    .setRedirectUri(e.getRedirectUri())
                    .setExpiresAt(e.getExpiresAt())
                    .setTemporaryTokenHash(e.getTemporaryTokenHash())
                    .setAuthScheme(e.getAuthScheme())
                    .setUsed(false)
                    .setVersion(e.getVersion())
                    .build());
        }
        if (event instanceof AuthorizationEnded && state.isPresent()) {
            return Optional.of(AuthorizationState.newBuilder(state.get())
                    .setUsed(true)
                    .setVersion(state.get().getVersion() + 1)
                    .build());
        }
        if (event instanceof TokenIssued e && state.isPresent() && e.getStateHash() != null) {
            return Optional.of(AuthorizationState.newBuilder(state.get())
                    .setUsed(true)
                    .setVersion(state.get().getVersion() + 1)
                    .build());
        }
        return state;
    }

    /** Whether the token's last refresh succeeded less than `interval` ago (an issued, never refreshed token: no). */
    public static boolean refreshedWithin(TokenState token, Duration interval, Instant now) {
        return token.getRefreshedAt() != null
                && token.getLastFailure() == null
                && ACTIVE.equals(token.getStatus())
                && now.isBefore(token.getRefreshedAt().plus(interval));
    }

    /**
     * A digest of a sealed refresh token: names the token in attempts and outcomes without carrying it (sealed bytes,
     * so nothing needs opening; the same token sealed again gets another fingerprint, which only makes a match rarer).
     */
    public static String fingerprint(SealedSecret sealed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("refresh-token:" + sealed.getKeyId() + ":").getBytes(StandardCharsets.UTF_8));
            ByteBuffer bytes = sealed.getCiphertext().duplicate();
            sha.update(bytes);
            byte[] digest = sha.digest();
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean madeFromCurrentRefreshToken(RecordTokenRefresh cmd, Optional<TokenState> current) {
        if (cmd.getRefreshTokenFingerprint() == null || current.isEmpty()) return false;
        TokenState t = current.get();
        // Only over a failure: after a newer success (a provider that does not rotate keeps the refresh token) the
        // newer access token stays.
        return !REVOKED.equals(t.getStatus())
                && t.getLastFailure() != null
                && t.getRefreshToken() != null
                && fingerprint(t.getRefreshToken()).equals(cmd.getRefreshTokenFingerprint());
    }

    private static boolean madeFromAnotherRefreshToken(RecordTokenRefresh cmd, TokenState t) {
        return cmd.getRefreshTokenFingerprint() != null
                && (t.getRefreshToken() == null
                        || !fingerprint(t.getRefreshToken()).equals(cmd.getRefreshTokenFingerprint()));
    }

    private static Optional<Decision> checkToken(String tokenId, Long expected, Optional<TokenState> current) {
        if (current.isEmpty()) return Optional.of(Decision.reject(Problems.notFound("token", tokenId)));
        if (expected != null && expected != current.get().getVersion()) {
            return Optional.of(Decision.reject(
                    Problems.staleVersion(expected, current.get().getVersion())));
        }
        return Optional.empty();
    }
}
