package com.integrationshub.refresher;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.runtime.secrets.SecretBox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds the commands that record a refresh's outcome, from the token as the refresh saw it: {@link IssueToken} (a
 * client-credentials fetch), {@link RecordTokenRefresh}, {@link RecordTokenRefreshFailure}. New tokens are sealed
 * at their places when the answer arrives ({@link ProviderAnswer.Granted#sealedFor}), else here.
 */
final class RefreshCommands {

    /** The issued_by of every command the refresher sends. */
    static final String ISSUED_BY = "token-refresher";

    private final SecretBox box;

    RefreshCommands(SecretBox box) {
        this.box = box;
    }

    /** Returns whether new tokens of this refresh are issued ({@link IssueToken}) rather than recorded as a refresh. */
    static boolean issues(TokenEntry t) {
        return t.connection.clientCredentials() && (t.version == 0 || t.underway().activeRequest == null);
    }

    /** Returns the command that records new tokens: IssueToken for a client-credentials fetch, else RecordTokenRefresh. */
    SpecificRecord granted(TokenEntry t, ProviderAnswer.Granted g, long now) {
        final String tokenId = t.tokenId();
        final ProviderAnswer.Sealed sealed =
                g.sealed() != null && g.sealed().tokenId().equals(tokenId)
                        ? g.sealed()
                        : g.sealedFor(box, tokenId).sealed();
        final SealedSecret access = sealed.accessToken();
        final SealedSecret rotated = sealed.refreshToken();
        final Instant expiresAt =
                g.expiresInSeconds() == null ? null : Instant.ofEpochMilli(now).plusSeconds(g.expiresInSeconds());
        return issues(t)
                ? issueToken(t, g, access, rotated, expiresAt, now)
                : recordRefresh(t, access, rotated, expiresAt, t.attempts() + 1, now);
    }

    /**
     * Returns the attempt recorded before a refresh token is presented. Its id is new for every attempt (not derived
     * like the others): two owners' attempts at one version must both be decided, so each sees the other's.
     */
    RecordRefreshAttempt attempt(TokenEntry t, long now) {
        return RecordRefreshAttempt.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setIssuedAt(Instant.ofEpochMilli(now))
                .setIssuedBy(ISSUED_BY)
                .setExpectedVersion(t.version)
                .setTokenId(t.tokenId())
                .setConnectionName(t.connection.name)
                .setOrgId(t.orgId())
                .setRefreshTokenFingerprint(TokenDecider.fingerprint(t.refreshToken()))
                .build();
    }

    /** Returns the command that records a failed round ({@code nextAttemptAt} set) or a refusal ({@code needsReauth}). */
    RecordTokenRefreshFailure failure(
            TokenEntry t, String reason, boolean needsReauth, Instant nextAttemptAt, long now) {
        return RecordTokenRefreshFailure.newBuilder()
                .setCommandId(commandId("failure", t))
                .setIssuedAt(Instant.ofEpochMilli(now))
                .setIssuedBy(ISSUED_BY)
                .setExpectedVersion(t.underway().flightVersion)
                .setTokenId(t.tokenId())
                .setConnectionName(t.connection.name)
                .setIntegrationName(t.integration)
                .setOrgId(t.orgId())
                .setReason(reason)
                .setAttempts(t.attempts())
                .setNeedsReauth(needsReauth)
                .setNextAttemptAt(nextAttemptAt)
                .setRequestId(t.underway().activeRequest)
                .build();
    }

    private static RecordTokenRefresh recordRefresh(
            TokenEntry t, SealedSecret access, SealedSecret rotated, Instant expiresAt, int attempts, long now) {
        return RecordTokenRefresh.newBuilder()
                .setCommandId(commandId("refresh", t))
                .setIssuedAt(Instant.ofEpochMilli(now))
                .setIssuedBy(ISSUED_BY)
                .setExpectedVersion(t.underway().flightVersion)
                .setTokenId(t.tokenId())
                .setConnectionName(t.connection.name)
                .setIntegrationName(t.integration)
                .setOrgId(t.orgId())
                .setAccessToken(access)
                .setRefreshToken(rotated)
                .setExpiresAt(expiresAt)
                .setAttempts(attempts)
                .setRequestId(t.underway().activeRequest)
                .setRefreshTokenFingerprint(t.underway().presented)
                .build();
    }

    private static IssueToken issueToken(
            TokenEntry t,
            ProviderAnswer.Granted g,
            SealedSecret access,
            SealedSecret rotated,
            Instant expiresAt,
            long now) {
        final List<String> scopes = g.scope() != null ? List.of(g.scope().trim().split("\\s+")) : t.connection.scopes;
        return IssueToken.newBuilder()
                .setCommandId(commandId("issue", t))
                .setIssuedAt(Instant.ofEpochMilli(now))
                .setIssuedBy(ISSUED_BY)
                .setTokenId(t.tokenId())
                .setConnectionName(t.connection.name)
                .setIntegrationName(t.integration)
                .setOrgId(t.orgId())
                .setStateHash(null)
                .setAccessToken(access)
                .setRefreshToken(rotated)
                .setTokenType(g.tokenType() == null ? "Bearer" : g.tokenType())
                .setExpiresAt(expiresAt)
                .setScopes(scopes)
                .setEntityId(t.entityId())
                .build();
    }

    /**
     * A command id derived from what the command answers: its kind, the token, the version it was made from and the
     * event that set that version (or the connection's creation for a token not issued yet). A new owner that
     * repeats a refresh after a crash sends the same id, so the command processor decides it once.
     */
    static String commandId(String kind, TokenEntry t) {
        final long basis = t.version == 0 ? t.connection.incarnation : t.basis;
        final String seed = ISSUED_BY + "/" + kind + "/" + t.tokenId() + "/" + t.underway().flightVersion + "/"
                + Long.toHexString(basis);
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A 64-bit digest of an event id: enough to tell the events that set a token's versions apart. */
    static long basis(String eventId) {
        final UUID digest = UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
        return digest.getMostSignificantBits() ^ digest.getLeastSignificantBits();
    }
}
