package com.integrationshub.refresher;

import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.domain.token.RefreshTokenReuse;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshAttempted;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresher's schedule: the connections and tokens folded from the events topic, each token's due time, and
 * where each token is in its refresh ({@link RefreshStage}, changed only through {@link TokenEntry#moveTo}). It
 * decides what happens next — a token call, a command, a retry, nothing — and leaves the doing (HTTP, Kafka) to
 * its {@link Effects}. Confined to the scheduler thread; time from the clock it is given.
 *
 * <p>Per token: it is due at the {@link RefreshPolicy}'s time; when due, one token call is made (queued behind the
 * provider's concurrency limit); a success or a final failure becomes one command, and the token then waits for
 * the event that decides it before anything else happens to it, so a single-use refresh token is never used twice
 * and every command carries the version it was made from. A refresh token is presented only once its attempt is
 * recorded ({@code TokenRefreshAttempted}); an attempt found without outcome, or a call that failed after its request
 * may have reached the provider, leaves its outcome unknown: the refresh token is presented again only where the
 * connection's {@code refresh_token_rotation} tolerates it ({@link RefreshTokenReuse}), else the token needs
 * reauthorization (reason {@code refresh_outcome_lost}), never a silent reuse. A command the broker has not acknowledged
 * in time is sent again, with the same command id; an acknowledged one is decided from the log. Only tokens of live
 * partitions are scheduled.
 */
final class RefreshSchedule {

    /** What the schedule asks the world to do; each is called on the scheduler thread. */
    interface Effects {

        /** Calls the provider for a token now {@link RefreshStage#IN_FLIGHT}; the answer goes to {@link #answered}. */
        void call(Flight flight, String url);

        /** Sends the command of a token now {@link RefreshStage#AWAITING}; the acknowledgement goes to {@link #acked}. */
        void send(TokenEntry token, SpecificRecord command);

        /** Sends the command of a token no longer owned; nothing waits for it. */
        void record(TokenEntry token, SpecificRecord command);
    }

    /**
     * A token call under way, and what it was made from.
     *
     * @param token       the token
     * @param lane        the provider lane whose slot it holds
     * @param fromVersion the token's version when the call was made
     * @param generation  the connection's definition when the call was made
     */
    record Flight(TokenEntry token, ProviderLanes.Lane lane, long fromVersion, int generation) {}

    /** A snapshot of the schedule's tokens and outcome counters. */
    record Counts(
            int connections,
            int tokens,
            int scheduled,
            int inFlight,
            int queued,
            int awaiting,
            long refreshed,
            long failedRounds,
            long refused) {}

    private static final Logger LOG = LoggerFactory.getLogger(RefreshSchedule.class);
    private static final long NOT_DUE = Long.MAX_VALUE;

    private final RefreshPolicy policy;
    private final RefreshCommands commands;
    private final ProviderLanes lanes;
    private final Duration outcomeTimeout;
    private final Clock clock;
    private final IntPredicate livePartition;
    private final Effects effects;

    private final Map<String, ConnectionEntry> connections = new HashMap<>();
    private final DueQueue due = new DueQueue();
    private final Map<String, String> names = new HashMap<>();
    private long refreshed;
    private long failedRounds;
    private long refused;

    /**
     * @param livePartition whether a partition's tokens are scheduled (see {@link PartitionHandover#live})
     */
    RefreshSchedule(
            RefreshPolicy policy,
            RefreshCommands commands,
            ProviderLanes lanes,
            Duration outcomeTimeout,
            Clock clock,
            IntPredicate livePartition,
            Effects effects) {
        this.policy = policy;
        this.commands = commands;
        this.lanes = lanes;
        this.outcomeTimeout = outcomeTimeout;
        this.clock = clock;
        this.livePartition = livePartition;
        this.effects = effects;
    }

    // ------------------------------------------------------------------------------------------ the fold

    /** Folds one event of a partition into the connections and tokens, and reschedules what it touches. */
    void apply(int partition, SpecificRecord event) {
        if (event instanceof OAuthConnectionCreated e) {
            define(
                    partition,
                    e.getConnectionName(),
                    e.getEventId(),
                    false,
                    new Definition(
                            e.getGrantType(),
                            e.getClientId(),
                            e.getClientSecret(),
                            e.getTokenUrl(),
                            e.getScopes(),
                            e.getClientAuthMethod(),
                            e.getRefreshMarginSeconds(),
                            e.getRefreshTokenRotation(),
                            e.getRefreshTokenGrace()));
        } else if (event instanceof OAuthConnectionUpdated e) {
            define(
                    partition,
                    e.getConnectionName(),
                    e.getEventId(),
                    true,
                    new Definition(
                            e.getGrantType(),
                            e.getClientId(),
                            e.getClientSecret(),
                            e.getTokenUrl(),
                            e.getScopes(),
                            e.getClientAuthMethod(),
                            e.getRefreshMarginSeconds(),
                            e.getRefreshTokenRotation(),
                            e.getRefreshTokenGrace()));
        } else if (event instanceof OAuthConnectionDeleted e) {
            deleteConnection(e.getConnectionName());
        } else if (event instanceof TokenIssued e) {
            issued(partition, e);
        } else if (event instanceof TokenRefreshed e) {
            refreshed(e);
        } else if (event instanceof TokenRefreshFailed e) {
            failed(e);
        } else if (event instanceof TokenRevoked e) {
            final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
            if (t != null) remove(t);
        } else if (event instanceof TokenRefreshRequested e) {
            requested(e);
        } else if (event instanceof TokenRefreshAttempted e) {
            attempted(e);
        }
    }

    private record Definition(
            GrantType grantType,
            String clientId,
            SealedSecret clientSecret,
            String tokenUrl,
            List<String> scopes,
            ClientAuthMethod clientAuth,
            Long marginSeconds,
            RefreshTokenRotation rotation,
            Long graceSeconds) {}

    private void define(int partition, String name, String eventId, boolean update, Definition d) {
        final ConnectionEntry c = connections.computeIfAbsent(name, n -> new ConnectionEntry(n, partition));
        if (!c.defined || !update) c.incarnation = RefreshCommands.basis(eventId);
        c.defined = true;
        c.generation++;
        c.grantType = d.grantType();
        c.clientId = d.clientId();
        c.clientSecret = d.clientSecret();
        c.tokenUrl = d.tokenUrl();
        c.scopes = List.copyOf(d.scopes());
        c.clientAuth = d.clientAuth();
        c.margin = d.marginSeconds() == null ? null : Duration.ofSeconds(d.marginSeconds());
        c.rotation = d.rotation();
        c.graceSeconds = d.graceSeconds();
        if (c.clientCredentials()) {
            if (c.tokens.get(null) == null) c.tokens.add(new TokenEntry(c, null));
            if (update) {
                for (TokenEntry t : c.tokens) {
                    t.needsReauth(false);
                    t.nextAttemptAt(0);
                }
            }
        }
        for (TokenEntry t : c.tokens) reschedule(t);
    }

    private void deleteConnection(String name) {
        final ConnectionEntry c = connections.remove(name);
        if (c == null) return;
        final List<TokenEntry> tokens = new ArrayList<>(c.tokens.size());
        for (TokenEntry t : c.tokens) tokens.add(t);
        for (TokenEntry t : tokens) remove(t);
    }

    private void issued(int partition, TokenIssued e) {
        final ConnectionEntry c =
                connections.computeIfAbsent(e.getConnectionName(), n -> new ConnectionEntry(n, partition));
        TokenEntry t = c.tokens.get(e.getOrgId());
        if (t == null) {
            t = new TokenEntry(c, e.getOrgId());
            c.tokens.add(t);
        }
        t.integration = name(e.getIntegrationName());
        t.entityId(e.getEntityId());
        t.obtainedAt = e.getIssuedAt().toEpochMilli();
        t.expiresAt = millis(e.getExpiresAt());
        t.refreshToken(e.getRefreshToken());
        t.needsReauth(false);
        t.nextAttemptAt(0);
        t.attempts(0);
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void refreshed(TokenRefreshed e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) return;
        t.obtainedAt = e.getRefreshedAt().toEpochMilli();
        t.expiresAt = millis(e.getExpiresAt());
        if (e.getRefreshToken() != null) t.refreshToken(e.getRefreshToken());
        t.needsReauth(false);
        t.nextAttemptAt(0);
        t.attempts(0);
        t.answered(e.getRequestId());
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void failed(TokenRefreshFailed e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) return;
        t.attempts(e.getAttempts());
        t.answered(e.getRequestId());
        if (e.getNeedsReauth()) {
            t.needsReauth(true);
            t.nextAttemptAt(0);
        } else {
            t.nextAttemptAt(
                    e.getNextAttemptAt() != null
                            ? e.getNextAttemptAt().toEpochMilli()
                            : policy.nextRoundAt(e.getOccurredAt()).toEpochMilli());
        }
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void requested(TokenRefreshRequested e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) {
            LOG.debug("refresh request {} for unknown token {}", e.getRequestId(), e.getTokenId());
            return;
        }
        switch (t.stage()) {
            case IDLE -> {
                t.addRequest(e.getRequestId());
                reschedule(t);
            }
            case RETRY_WAIT -> {
                t.addRequest(e.getRequestId());
                if (t.underway().activeRequest == null) t.underwayForUpdate().activeRequest = t.pollRequest();
                if (live(t)) due.schedule(t, clock.millis());
            }
            case QUEUED, RECORDING, IN_FLIGHT -> {
                // Joins the refresh under way: its outcome answers every request of the token, one provider call.
                if (t.underway().activeRequest == null) t.underwayForUpdate().activeRequest = e.getRequestId();
            }
            case AWAITING -> {
                // Joins too: the outcome of the refresh just made is on its way and answers this request.
            }
        }
    }

    /**
     * A refresh attempt was recorded. Ours: the refresh token may now be presented, so the call is made. Another
     * owner's at the token's version (it crashed, or still runs): its outcome is not recorded, so presenting the same
     * refresh token again could be a reuse — the attempt is treated as lost ({@link #outcomeLost}), now if the
     * partition is live, else when it goes live.
     */
    private void attempted(TokenRefreshAttempted e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null || e.getVersion() != t.version) return;
        // The grace of a provider that tolerates reuse runs from the first presentation at this version.
        if (!t.attemptRecorded()) t.attemptedAt(e.getOccurredAt().toEpochMilli());
        t.attemptRecorded(true);
        final boolean ours = t.stage() == RefreshStage.RECORDING
                && t.underway().attempt != null
                && t.underway().attempt.getCommandId().equals(e.getCausationId());
        if (ours) {
            final ProviderLanes.Lane lane = t.underway().attemptLane;
            final String url = t.underway().attemptUrl;
            clearAttempt(t);
            due.remove(t);
            t.moveTo(RefreshStage.IN_FLIGHT);
            t.underwayForUpdate().presented = e.getRefreshTokenFingerprint();
            effects.call(new Flight(t, lane, t.underway().flightVersion, t.connection.generation), url);
            return;
        }
        if (!live(t)) return;
        switch (t.stage()) {
            case RECORDING -> {
                final ProviderLanes.Lane lane = t.underway().attemptLane;
                releaseAttempt(t);
                unknownOutcome(t);
                drain(lane);
            }
            case IDLE -> unknownOutcome(t);
            default ->
                LOG.warn(
                        "token {}: an attempt of another owner at version {} while {}",
                        t.tokenId(),
                        t.version,
                        t.stage());
        }
    }

    /**
     * An attempt at the token's version has no recorded outcome: the provider may have exchanged the refresh token
     * and its answer is lost. The connection's rotation says whether its refresh token may be presented again
     * ({@link RefreshTokenReuse}): if so the token is refreshed at once with it (no new attempt: the grace runs from
     * the first), else {@link #outcomeLost}.
     */
    private void unknownOutcome(TokenEntry t) {
        final RefreshTokenReuse.Verdict verdict = RefreshTokenReuse.afterUnknownOutcome(
                t.connection.rotation,
                t.connection.graceSeconds,
                Instant.ofEpochMilli(t.attemptedAt()),
                Instant.ofEpochMilli(clock.millis()));
        if (verdict == RefreshTokenReuse.Verdict.NEEDS_REAUTH) {
            outcomeLost(t);
            return;
        }
        LOG.warn(
                "refresh outcome lost token_id={} version={}: the provider tolerates reuse ({}); presenting the same "
                        + "refresh token again",
                t.tokenId(),
                t.version,
                t.connection.rotation);
        if (t.stage() == RefreshStage.RECORDING) abandon(t);
        t.outcomeUnknown(true);
        t.nextAttemptAt(0);
        if (t.stage() == RefreshStage.IDLE && !t.removed() && live(t)) due.schedule(t, clock.millis());
    }

    /**
     * The refresh token of the token's version may have been exchanged and the answer is lost, and the connection
     * does not let it be presented again. Presenting it again is what a rotating provider punishes (it revokes the
     * grant), so the token is marked as needing reauthorization, with the reason, instead of a silent reuse. If the
     * answer does get recorded after all, the decider applies it (it was made from the token's refresh token).
     */
    private void outcomeLost(TokenEntry t) {
        t.underwayForUpdate().flightVersion = t.version;
        t.underwayForUpdate().roundAttempts = 0;
        if (t.underway().activeRequest == null) t.underwayForUpdate().activeRequest = t.pollRequest();
        t.attempts(t.attempts() + 1);
        refused++;
        LOG.warn(
                "refresh outcome lost token_id={} version={}: an attempt has no recorded outcome; needs "
                        + "reauthorization",
                t.tokenId(),
                t.version);
        send(t, commands.failure(t, TokenDecider.OUTCOME_LOST, true, null, clock.millis()));
    }

    /** Gives back the provider slot an attempt held. */
    private void releaseAttempt(TokenEntry t) {
        if (t.underway().attemptLane != null) t.underway().attemptLane.release();
        clearAttempt(t);
    }

    private static void clearAttempt(TokenEntry t) {
        t.underwayForUpdate().attempt = null;
        t.underwayForUpdate().attemptLane = null;
        t.underwayForUpdate().attemptUrl = null;
    }

    /** A token event set a new version: a refresh waiting for its outcome is settled, a pending retry abandoned. */
    private void newVersion(TokenEntry t, long version, String eventId) {
        t.version = version;
        t.basis = RefreshCommands.basis(eventId);
        t.attemptRecorded(false);
        // Read only while an attempt of the version is recorded; cleared so a token refreshed keeps no Setbacks.
        t.attemptedAt(0);
        t.outcomeUnknown(false);
        switch (t.stage()) {
            case RECORDING -> {
                final ProviderLanes.Lane lane = t.underway().attemptLane;
                releaseAttempt(t);
                abandon(t);
                drain(lane);
            }
            case AWAITING -> {
                if (version > t.underway().flightVersion) {
                    // The outcome answers every request made before it (the query service answers the token's
                    // watchers), including those queued while it was being scheduled: none is refreshed again.
                    t.requests = PendingRequests.NONE;
                    settle(t);
                }
            }
            case RETRY_WAIT, QUEUED -> abandon(t);
            case IN_FLIGHT, IDLE -> {
                // an answer in flight for an older version is dropped when it comes
            }
        }
        reschedule(t);
    }

    /** The refresh is over (its outcome decided, or nothing left to wait for). */
    private void settle(TokenEntry t) {
        t.moveTo(RefreshStage.IDLE);
        // Its command, request and round are over: an idle token holds none of it.
        t.endUnderway();
        due.remove(t);
    }

    /** The refresh under way is given up before any command; its request goes back to wait for the next one. */
    private void abandon(TokenEntry t) {
        t.moveTo(RefreshStage.IDLE);
        t.returnRequest(t.underway().activeRequest);
        t.endUnderway();
        due.remove(t);
    }

    private void remove(TokenEntry t) {
        final ProviderLanes.Lane held = t.stage() == RefreshStage.RECORDING ? t.underway().attemptLane : null;
        if (held != null) releaseAttempt(t);
        t.removed(true);
        due.remove(t);
        t.connection.tokens.remove(t);
        t.moveTo(RefreshStage.IDLE);
        t.endUnderway();
        if (held != null) drain(held);
    }

    // ------------------------------------------------------------------------------------------ due times

    /** Returns how many tokens wait for a time. */
    int scheduled() {
        return due.size();
    }

    /** Returns the earliest due time; only when {@link #scheduled()} is not 0. */
    long nextDueAt() {
        return due.peekDue();
    }

    /** Takes the earliest token due at {@code now} or before, or returns null. */
    TokenEntry pollDue(long now) {
        return !due.isEmpty() && due.peekDue() <= now ? due.poll() : null;
    }

    /** Returns the token's due time, or empty when it waits for none. */
    Optional<Instant> dueAt(TokenEntry t) {
        return due.contains(t) ? Optional.of(Instant.ofEpochMilli(t.dueAt)) : Optional.empty();
    }

    /** Returns the token of a connection and org (null: the global token), or null when there is none. */
    TokenEntry find(String connection, String orgId) {
        final ConnectionEntry c = connections.get(connection);
        return c == null ? null : c.tokens.get(orgId);
    }

    private void reschedule(TokenEntry t) {
        if (t.removed() || t.stage() != RefreshStage.IDLE) return;
        if (!live(t)) {
            due.remove(t);
            return;
        }
        final long at = dueAt(t, clock.millis());
        if (at == NOT_DUE) due.remove(t);
        else due.schedule(t, at);
    }

    private long dueAt(TokenEntry t, long now) {
        final ConnectionEntry c = t.connection;
        if (!c.defined) return NOT_DUE;
        if (t.hasRequests()) return now;
        if (t.needsReauth()) return NOT_DUE;
        if (c.clientCredentials()) {
            if (t.version == 0 && t.nextAttemptAt() == 0) return now;
        } else if (!t.hasRefreshToken()) {
            return NOT_DUE;
        }
        if (t.nextAttemptAt() != 0) return t.nextAttemptAt();
        final Optional<Instant> expiry =
                t.expiresAt == TokenEntry.NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t.expiresAt));
        return policy.refreshAt(Instant.ofEpochMilli(t.obtainedAt), expiry, c.margin())
                .toEpochMilli();
    }

    // ------------------------------------------------------------------------------------------ refreshes

    /** A token's time has come: starts its refresh (or its retry), or sends its late command again. */
    void fire(TokenEntry t, long now) {
        try {
            switch (t.stage()) {
                case AWAITING -> resend(t);
                case RECORDING -> resendAttempt(t);
                case IDLE, RETRY_WAIT -> begin(t);
                case QUEUED, IN_FLIGHT -> LOG.warn("token {} was due while {}", t.tokenId(), t.stage());
            }
        } catch (RuntimeException e) {
            LOG.error("refreshing token {} failed", t.tokenId(), e);
        }
    }

    private void begin(TokenEntry t) {
        if (t.removed() || !live(t)) return;
        final ConnectionEntry c = t.connection;
        if (!c.defined) {
            abandon(t);
            return;
        }
        if (t.stage() == RefreshStage.IDLE) {
            t.underwayForUpdate().flightVersion = t.version;
            t.underwayForUpdate().roundAttempts = 0;
            if (t.underway().activeRequest == null) t.underwayForUpdate().activeRequest = t.pollRequest();
        }
        if (t.needsReauth()) {
            refused++;
            LOG.info(
                    "refresh refused token_id={} reason=needs_reauth request_id={}: needs reauthorization",
                    t.tokenId(),
                    t.underway().activeRequest);
            send(t, commands.failure(t, "needs_reauth", true, null, clock.millis()));
            return;
        }
        if (!c.clientCredentials() && !t.hasRefreshToken()) {
            conclude(t, new ProviderAnswer.Refused("no_refresh_token"));
            return;
        }
        final Optional<String> url = c.tokenUrlFor(t.entityId());
        if (url.isEmpty()) {
            conclude(t, new ProviderAnswer.Refused("token_url_needs_entity_id"));
            return;
        }
        final ProviderLanes.Lane lane = lanes.lane(url.get());
        if (!lane.tryAcquire()) {
            t.moveTo(RefreshStage.QUEUED);
            lane.enqueue(t);
            return;
        }
        call(t, lane, url.get());
    }

    private void drain(ProviderLanes.Lane lane) {
        while (true) {
            final TokenEntry next = lane.next();
            if (next == null) return;
            if (next.stage() != RefreshStage.QUEUED) continue;
            if (next.removed() || !live(next)) {
                abandon(next);
                continue;
            }
            final Optional<String> url =
                    next.connection.defined ? next.connection.tokenUrlFor(next.entityId()) : Optional.empty();
            if (url.isEmpty() || !lanes.lane(url.get()).equals(lane)) {
                abandon(next);
                reschedule(next);
                continue;
            }
            if (!lane.tryAcquire()) {
                lane.enqueueFirst(next);
                return;
            }
            call(next, lane, url.get());
        }
    }

    /**
     * Calls the provider, holding a slot of its lane. A refresh token is presented only once its attempt is recorded
     * (the call then waits for {@link #attempted}); a retry of the same round presents the same one, already recorded.
     */
    private void call(TokenEntry t, ProviderLanes.Lane lane, String url) {
        if (presentsRefreshToken(t) && !t.attemptRecorded()) {
            t.moveTo(RefreshStage.RECORDING);
            t.underwayForUpdate().attemptLane = lane;
            t.underwayForUpdate().attemptUrl = url;
            t.underwayForUpdate().attempt = commands.attempt(t, clock.millis());
            due.schedule(t, clock.millis() + outcomeTimeout.toMillis());
            effects.send(t, t.underway().attempt);
            return;
        }
        t.moveTo(RefreshStage.IN_FLIGHT);
        t.underwayForUpdate().presented = presentsRefreshToken(t) ? TokenDecider.fingerprint(t.refreshToken()) : null;
        effects.call(new Flight(t, lane, t.underway().flightVersion, t.connection.generation), url);
    }

    private static boolean presentsRefreshToken(TokenEntry t) {
        return !t.connection.clientCredentials() && t.hasRefreshToken();
    }

    private void resendAttempt(TokenEntry t) {
        LOG.warn(
                "token {}: the refresh attempt at version {} is not recorded after {}; sending it again",
                t.tokenId(),
                t.version,
                outcomeTimeout);
        t.moveTo(RefreshStage.RECORDING);
        due.schedule(t, clock.millis() + outcomeTimeout.toMillis());
        effects.send(t, t.underway().attempt);
    }

    /** A provider answered a token call (or the call could not be made): applies the answer, then fills the lane. */
    void answered(Flight flight, ProviderAnswer answer) {
        final TokenEntry t = flight.token();
        flight.lane().release();
        try {
            if (t.underway().orphaned) {
                recordOrphan(t, flight.fromVersion(), answer);
                return;
            }
            if (t.removed() || t.stage() != RefreshStage.IN_FLIGHT || t.version != flight.fromVersion()) {
                if (answer instanceof ProviderAnswer.Granted g && !t.removed() && t.stage() == RefreshStage.IN_FLIGHT) {
                    // The provider may have spent the refresh token: its answer goes to the decider, which applies
                    // it if the token still has that refresh token (a failure recorded meanwhile) and refuses it
                    // after a reconnect. Nothing waits for it here; the event, if any, reschedules the token.
                    final long now = clock.millis();
                    effects.record(t, granted(t, g, now));
                    logGranted(t, g, now);
                    // That record answers the refresh's request: it is not refreshed again. A refresh of the newer
                    // version would send a second command for one answer (after a failure: needs_reauth, made from
                    // the failure's version) on another producer than the record, so it could be decided first and
                    // the record then applied over it as well.
                    t.underwayForUpdate().activeRequest = null;
                }
                LOG.debug(
                        "token {}: dropping an answer for version {} (now {}, {})",
                        t.tokenId(),
                        flight.fromVersion(),
                        t.version,
                        t.removed() ? "removed" : t.stage());
                if (!t.removed() && t.stage() == RefreshStage.IN_FLIGHT) {
                    abandon(t);
                    reschedule(t);
                }
                return;
            }
            if (!(answer instanceof ProviderAnswer.Granted) && flight.generation() != t.connection.generation) {
                LOG.debug(
                        "token {}: {} under a connection definition that has changed since; trying the new one",
                        t.tokenId(),
                        answer);
                abandon(t);
                reschedule(t);
                return;
            }
            conclude(t, answer);
        } finally {
            drain(flight.lane());
        }
    }

    /** Applies a provider's answer: a command for a success or a final failure, or a retry after a backoff. */
    private void conclude(TokenEntry t, ProviderAnswer answer) {
        final long now = clock.millis();
        final String tokenId = t.tokenId();
        if (answer instanceof ProviderAnswer.Granted g) {
            send(t, granted(t, g, now));
            logGranted(t, g, now);
        } else if (answer instanceof ProviderAnswer.Retryable r) {
            t.attempts(t.attempts() + 1);
            t.underwayForUpdate().roundAttempts++;
            if (!live(t)) {
                abandon(t);
                return;
            }
            final Optional<Duration> delay = policy.retryDelay(t.underway().roundAttempts);
            if (t.underway().presented != null && RefreshTokenReuse.outcomeUnknown(r.reason())) t.outcomeUnknown(true);
            if (t.outcomeUnknown() && !mayPresentAgain(t, delay, now)) {
                refused++;
                LOG.warn(
                        "refresh outcome unknown token_id={} reason={} attempts={} request_id={}: the provider may "
                                + "have exchanged the refresh token and the connection does not allow presenting it "
                                + "again; needs reauthorization",
                        tokenId,
                        r.reason(),
                        t.attempts(),
                        t.underway().activeRequest);
                send(t, commands.failure(t, TokenDecider.OUTCOME_LOST, true, null, now));
                return;
            }
            if (delay.isPresent()) {
                LOG.debug(
                        "token {} attempt {} failed ({}); retrying in {}",
                        tokenId,
                        t.underway().roundAttempts,
                        r.reason(),
                        delay.get());
                t.moveTo(RefreshStage.RETRY_WAIT);
                due.schedule(t, now + delay.get().toMillis());
                return;
            }
            final Instant next = policy.nextRoundAt(Instant.ofEpochMilli(now));
            failedRounds++;
            LOG.info(
                    "refresh failed token_id={} reason={} attempts={} next_attempt_at={} request_id={}",
                    tokenId,
                    r.reason(),
                    t.attempts(),
                    next,
                    t.underway().activeRequest);
            if (t.version == 0) {
                abandon(t);
                t.nextAttemptAt(next.toEpochMilli());
                reschedule(t);
                return;
            }
            send(t, commands.failure(t, r.reason(), false, next, clock.millis()));
        } else if (answer instanceof ProviderAnswer.Refused f) {
            t.attempts(t.attempts() + 1);
            refused++;
            LOG.info(
                    "refresh refused token_id={} reason={} attempts={} request_id={}: needs reauthorization",
                    tokenId,
                    f.reason(),
                    t.attempts(),
                    t.underway().activeRequest);
            if (t.version == 0) {
                abandon(t);
                t.needsReauth(true);
                reschedule(t);
                return;
            }
            send(t, commands.failure(t, f.reason(), true, null, clock.millis()));
        }
    }

    /**
     * Whether a refresh token whose last presentation has no known outcome may be presented in the retry after
     * {@code delay}. Without one the round is over: the next round starts from a new version with a new attempt,
     * which would restart a grace, so it goes on only where reuse never matters (no rotation).
     */
    private boolean mayPresentAgain(TokenEntry t, Optional<Duration> delay, long now) {
        final Instant at = delay.map(d -> Instant.ofEpochMilli(now).plus(d)).orElse(Instant.MAX);
        return RefreshTokenReuse.afterUnknownOutcome(
                        t.connection.rotation, t.connection.graceSeconds, Instant.ofEpochMilli(t.attemptedAt()), at)
                == RefreshTokenReuse.Verdict.PRESENT_AGAIN;
    }

    /** Returns the command that records the answer (counted as refreshed); log it with {@link #logGranted} once sent. */
    private SpecificRecord granted(TokenEntry t, ProviderAnswer.Granted g, long now) {
        refreshed++;
        return commands.granted(t, g, now);
    }

    /** Logs a recorded answer, after its command is sent: nothing delays the record. */
    private void logGranted(TokenEntry t, ProviderAnswer.Granted g, long now) {
        LOG.info(
                "{} token_id={} from_version={} attempts={} expires_at={} rotated={} request_id={}",
                RefreshCommands.issues(t) ? "fetched" : "refreshed",
                t.tokenId(),
                t.underway().flightVersion,
                t.attempts() + 1,
                g.expiresInSeconds() == null ? null : Instant.ofEpochMilli(now).plusSeconds(g.expiresInSeconds()),
                g.refreshToken() != null,
                t.underway().activeRequest);
    }

    /**
     * An answer for a token of a partition this instance no longer owns (lost, or handed over after the timeout):
     * new tokens are still recorded, since the provider may have spent the old refresh token; the command's expected
     * version makes the command processor refuse it if the new owner got there first. Nothing else is done.
     */
    private void recordOrphan(TokenEntry t, long from, ProviderAnswer answer) {
        if (!(answer instanceof ProviderAnswer.Granted g) || t.version != from) {
            LOG.debug("token {}: dropping an answer for a partition no longer owned", t.tokenId());
            return;
        }
        final long now = clock.millis();
        effects.record(t, granted(t, g, now));
        logGranted(t, g, now);
    }

    // ------------------------------------------------------------------------------------------ commands

    private void send(TokenEntry t, SpecificRecord command) {
        t.moveTo(RefreshStage.AWAITING);
        t.underwayForUpdate().pending = command;
        t.underwayForUpdate().pendingAcked = false;
        effects.send(t, command);
        if (live(t)) due.schedule(t, clock.millis() + outcomeTimeout.toMillis());
        else due.remove(t);
    }

    /** The broker has a command sent for the token; it now waits only for the event that decides it. */
    void acked(TokenEntry t, SpecificRecord command) {
        if (t.underway().pending == command) t.underwayForUpdate().pendingAcked = true;
    }

    private void resend(TokenEntry t) {
        if (t.underway().pending == null || t.removed()) {
            settle(t);
            reschedule(t);
            return;
        }
        if (t.underway().pendingAcked) {
            // The broker has it (acks=all): the command processor decides it from the log, so sending it again
            // from memory adds nothing (same id, same decision) and a crash loses nothing.
            LOG.warn(
                    "no decision yet on the command for token {} (version {}) after {}; it is in the log, waiting",
                    t.tokenId(),
                    t.underway().flightVersion,
                    outcomeTimeout);
            due.schedule(t, clock.millis() + outcomeTimeout.toMillis());
            return;
        }
        LOG.warn(
                "the command for token {} (version {}) is not acknowledged after {}; sending it again",
                t.tokenId(),
                t.underway().flightVersion,
                outcomeTimeout);
        send(t, t.underway().pending);
    }

    // ------------------------------------------------------------------------------------------ partitions

    /** The partition went live: schedules its tokens. */
    void goLive(int partition) {
        int count = 0;
        int connectionCount = 0;
        for (ConnectionEntry c : connections.values()) {
            if (c.partition != partition) continue;
            connectionCount++;
            for (TokenEntry t : c.tokens) {
                if (t.attemptRecorded() && t.stage() == RefreshStage.IDLE && !t.removed()) unknownOutcome(t);
                else reschedule(t);
                count++;
            }
        }
        LOG.info("partition {} replayed: {} connections, {} tokens; scheduling", partition, connectionCount, count);
    }

    /** The partitions are being released: nothing of theirs is due any more, and a pending retry is given up. */
    void stopScheduling(Set<Integer> released) {
        for (ConnectionEntry c : connections.values()) {
            if (!released.contains(c.partition)) continue;
            for (TokenEntry t : c.tokens) {
                if (t.stage() == RefreshStage.RETRY_WAIT) abandon(t);
                if (t.stage() == RefreshStage.RECORDING) withdraw(t);
                due.remove(t);
            }
        }
    }

    /**
     * A released partition's attempt may be recorded, but its call is not made: a failure (retry at once) recorded
     * after it says so, so the next owner does not take it for a lost outcome.
     */
    private void withdraw(TokenEntry t) {
        final ProviderLanes.Lane lane = t.underway().attemptLane;
        releaseAttempt(t);
        send(t, commands.failure(t, "refresh_withdrawn", false, Instant.ofEpochMilli(clock.millis()), clock.millis()));
        drain(lane);
    }

    /** Returns the tokens of these partitions whose command is acknowledged and not decided: id to version. */
    Map<String, Long> awaiting(Set<Integer> of) {
        final Map<String, Long> awaiting = new HashMap<>();
        for (ConnectionEntry c : connections.values()) {
            if (!of.contains(c.partition)) continue;
            for (TokenEntry t : c.tokens) {
                if (t.stage() == RefreshStage.AWAITING && t.underway().pendingAcked)
                    awaiting.put(t.tokenId(), t.underway().flightVersion);
            }
        }
        return awaiting;
    }

    /** Forgets the partition's connections and tokens; an answer still in flight for one is only recorded. */
    void forget(int partition) {
        for (Iterator<ConnectionEntry> it = connections.values().iterator(); it.hasNext(); ) {
            final ConnectionEntry c = it.next();
            if (c.partition != partition) continue;
            for (TokenEntry t : c.tokens) {
                if (t.stage() == RefreshStage.RECORDING) {
                    final ProviderLanes.Lane lane = t.underway().attemptLane;
                    releaseAttempt(t);
                    t.moveTo(RefreshStage.IDLE);
                    drain(lane);
                }
                t.removed(true);
                if (t.stage() == RefreshStage.IN_FLIGHT) t.underwayForUpdate().orphaned = true;
                due.remove(t);
            }
            it.remove();
        }
    }

    /** Returns a snapshot of the tokens and counters. */
    /**
     * The tokens by status at {@code now} (active, expired, needs_reauth), the soonest expiry of a token that is not
     * refused ({@link TokenEntry#NEVER} when none has one) and the number of tokens in the due queue, at {@code at}
     * (the schedule's clock): for metrics.
     */
    record Figures(long at, int active, int expired, int needsReauth, long soonestExpiresAt, int scheduled) {}

    /** The schedule's {@link Figures} at {@code now}. */
    Figures figures(long now) {
        int active = 0;
        int expired = 0;
        int needsReauth = 0;
        long soonest = TokenEntry.NEVER;
        for (ConnectionEntry c : connections.values()) {
            for (TokenEntry t : c.tokens) {
                if (t.needsReauth()) {
                    needsReauth++;
                    continue;
                }
                if (t.expiresAt != TokenEntry.NEVER && now >= t.expiresAt) expired++;
                else active++;
                if (t.expiresAt != TokenEntry.NEVER && (soonest == TokenEntry.NEVER || t.expiresAt < soonest))
                    soonest = t.expiresAt;
            }
        }
        return new Figures(now, active, expired, needsReauth, soonest, due.size());
    }

    Counts counts() {
        int tokens = 0;
        int inFlight = 0;
        int queued = 0;
        int awaiting = 0;
        for (ConnectionEntry c : connections.values()) {
            for (TokenEntry t : c.tokens) {
                tokens++;
                switch (t.stage()) {
                    case RECORDING, IN_FLIGHT -> inFlight++;
                    case QUEUED -> queued++;
                    case AWAITING -> awaiting++;
                    default -> {}
                }
            }
        }
        return new Counts(
                connections.size(), tokens, due.size(), inFlight, queued, awaiting, refreshed, failedRounds, refused);
    }

    // ------------------------------------------------------------------------------------------ small things

    private boolean live(TokenEntry t) {
        return livePartition.test(t.connection.partition);
    }

    private String name(String value) {
        return value == null ? null : names.computeIfAbsent(value, v -> v);
    }

    private static long millis(Instant instant) {
        return instant == null ? TokenEntry.NEVER : instant.toEpochMilli();
    }
}
