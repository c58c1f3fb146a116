package com.integrationshub.refresher;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshRequested;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.oauth.client.ClientAuthentication;
import com.integrationshub.oauth.client.OAuthClient;
import com.integrationshub.oauth.client.TokenEndpointClient;
import com.integrationshub.oauth.client.TokenRequest;
import com.integrationshub.runtime.secrets.SecretBox;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token schedule and the refreshes. One thread owns all state (connections, tokens, the due queue, the provider
 * lanes); the events consumer, the HTTP client and the producer reach it only through its inbox, so nothing here is
 * locked.
 *
 * <p>Per token: it is due at the {@link RefreshPolicy}'s time; when due, one token call is made (queued behind the
 * provider's concurrency limit); a success or a final failure becomes one command, and the token then waits for
 * the event that decides it before anything else happens to it, so a single-use refresh token is never used twice
 * and every command carries the version it was made from. A command whose event does not come is sent again, with
 * the same command id.
 *
 * <p>Per partition of the events topic: while it is being replayed, events build state but nothing is scheduled;
 * once replayed it goes live; on revocation it stops scheduling and is released only when its in-flight calls have
 * ended and their commands are acknowledged ({@link #release}).
 */
@Singleton
public class RefreshEngine implements AutoCloseable {

    /** The issued_by of every command the refresher sends. */
    public static final String ISSUED_BY = "token-refresher";

    private static final Logger LOG = LoggerFactory.getLogger(RefreshEngine.class);
    private static final long NOT_DUE = Long.MAX_VALUE;
    /** Tasks run between two looks at the due queue, so a long inbox does not delay due tokens. */
    private static final int TASKS_PER_TURN = 1_000;

    private final RefreshPolicy policy;
    private final SecretBox box;
    private final TokenEndpointClient endpoint;
    private final CommandSender commands;
    private final Clock clock;
    private final Duration outcomeTimeout;
    private final Duration pollTimeout;
    private final Semaphore eventBatches;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running;

    private final Map<String, ConnectionEntry> connections = new HashMap<>();
    private final Map<Integer, PartitionState> partitions = new HashMap<>();
    private final DueQueue due = new DueQueue();
    private final ProviderLanes lanes;
    private final Map<String, String> names = new HashMap<>();
    private final List<Release> releases = new ArrayList<>();

    private final AtomicLong refreshed = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    public RefreshEngine(RefreshPolicy policy, SecretBox box, TokenEndpointClient endpoint, CommandSender commands,
                         @Named("refresher") Clock clock, RefresherSettings settings) {
        this.policy = policy;
        this.box = box;
        this.endpoint = endpoint;
        this.commands = commands;
        this.clock = clock;
        this.outcomeTimeout = settings.outcomeTimeout();
        this.pollTimeout = settings.pollTimeout();
        this.eventBatches = new Semaphore(settings.maxPendingBatches());
        this.lanes = new ProviderLanes(settings.providerConcurrency());
        this.thread = new Thread(this::loop, "token-scheduler");
        this.thread.setDaemon(true);
    }

    /** An event of the events topic and the partition it came from. */
    public record PartitionedEvent(int partition, SpecificRecord event) {
    }

    /** A snapshot of the schedule, for the refresher endpoint, tests and benchmarks. */
    @Serdeable
    public record Stats(int connections, int tokens, int scheduled, int inFlight, int queued, int awaiting,
                        int livePartitions, int replayingPartitions, long calls, long refreshed, long failedRounds,
                        long refused) {
    }

    // ------------------------------------------------------------------------------------------ API (any thread)

    /** Starts the scheduler thread. */
    public void start() {
        running = true;
        thread.start();
    }

    /** Hands a polled batch of events over; blocks while too many batches wait (back pressure on the consumer). */
    public void accept(List<PartitionedEvent> batch) throws InterruptedException {
        if (batch.isEmpty()) return;
        while (!eventBatches.tryAcquire(pollTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            if (!running) return;
        }
        submit(() -> {
            try {
                for (PartitionedEvent e : batch) apply(e.partition(), e.event());
            } finally {
                eventBatches.release();
            }
        });
    }

    /** The consumer now owns these partitions and replays them: state is rebuilt, nothing is scheduled yet. */
    public void assigned(Collection<Integer> assigned) {
        final Set<Integer> copy = Set.copyOf(assigned);
        submit(() -> {
            for (int p : copy) {
                forget(p);
                partitions.put(p, new PartitionState());
            }
        });
    }

    /** A partition has been replayed to the end it had when assigned: its tokens are scheduled from now on. */
    public void replayed(int partition) {
        submit(() -> goLive(partition));
    }

    /**
     * Stops scheduling the tokens of these partitions. Completes when none of them has a token call in flight or a
     * command not yet acknowledged, with the tokens whose commands are acknowledged but not yet decided (token id
     * to the version they were made from), so the caller can wait for those outcomes before handing over.
     */
    public CompletableFuture<Map<String, Long>> release(Collection<Integer> released) {
        final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();
        final Set<Integer> copy = Set.copyOf(released);
        if (!submit(() -> startRelease(copy, done))) done.complete(Map.of());
        return done;
    }

    /** Forgets the partitions' connections and tokens (revoked after release, or lost). */
    public void drop(Collection<Integer> dropped) {
        final Set<Integer> copy = Set.copyOf(dropped);
        submit(() -> copy.forEach(this::forget));
    }

    /** Returns a snapshot of the schedule. */
    public CompletableFuture<Stats> stats() {
        final CompletableFuture<Stats> stats = new CompletableFuture<>();
        if (!submit(() -> stats.complete(snapshot()))) stats.completeExceptionally(new IllegalStateException("stopped"));
        return stats;
    }

    /** Stops the scheduler thread; calls in flight are abandoned. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        thread.interrupt();
        try {
            thread.join(outcomeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean submit(Runnable task) {
        if (!running) return false;
        inbox.add(task);
        return true;
    }

    // ------------------------------------------------------------------------------------------ the loop

    private void loop() {
        while (running) {
            try {
                long now = clock.millis();
                while (!due.isEmpty() && due.peekDue() <= now) fire(due.poll(), now);
                Runnable task = due.isEmpty() ? inbox.take()
                        : inbox.poll(Math.max(1, due.peekDue() - clock.millis()), TimeUnit.MILLISECONDS);
                for (int n = 0; task != null; n++) {
                    run(task);
                    task = n < TASKS_PER_TURN ? inbox.poll() : null;
                }
            } catch (InterruptedException e) {
                if (running) LOG.warn("the scheduler was interrupted; going on");
            } catch (RuntimeException e) {
                LOG.error("a scheduler step failed", e);
            }
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("a scheduler task failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------ events

    private void apply(int partition, SpecificRecord event) {
        try {
            if (event instanceof OAuthConnectionCreated e) {
                define(partition, e.getConnectionName(), e.getEventId(), false, new Definition(e.getGrantType(),
                        e.getClientId(), e.getClientSecret(), e.getTokenUrl(), e.getScopes(), e.getClientAuthMethod(),
                        e.getRefreshMarginSeconds()));
            } else if (event instanceof OAuthConnectionUpdated e) {
                define(partition, e.getConnectionName(), e.getEventId(), true, new Definition(e.getGrantType(),
                        e.getClientId(), e.getClientSecret(), e.getTokenUrl(), e.getScopes(), e.getClientAuthMethod(),
                        e.getRefreshMarginSeconds()));
            } else if (event instanceof OAuthConnectionDeleted e) {
                deleteConnection(e.getConnectionName());
            } else if (event instanceof TokenIssued e) {
                issued(partition, e);
            } else if (event instanceof TokenRefreshed e) {
                refreshedEvent(e);
            } else if (event instanceof TokenRefreshFailed e) {
                failedEvent(e);
            } else if (event instanceof TokenRevoked e) {
                final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
                if (t != null) remove(t);
            } else if (event instanceof TokenRefreshRequested e) {
                requested(e);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot apply a {} of partition {}", event.getSchema().getName(), partition, e);
        }
    }

    private record Definition(com.integrationshub.common.GrantType grantType, String clientId, SealedSecret clientSecret,
                              String tokenUrl, List<String> scopes, ClientAuthMethod clientAuth, Long marginSeconds) {
    }

    private void define(int partition, String name, String eventId, boolean update, Definition d) {
        final ConnectionEntry c = connections.computeIfAbsent(name, n -> new ConnectionEntry(n, partition));
        if (!c.defined || !update) c.incarnation = basis(eventId);
        c.defined = true;
        c.generation++;
        c.grantType = d.grantType();
        c.clientId = d.clientId();
        c.clientSecret = d.clientSecret();
        c.tokenUrl = d.tokenUrl();
        c.scopes = List.copyOf(d.scopes());
        c.clientAuth = d.clientAuth();
        c.margin = d.marginSeconds() == null ? null : Duration.ofSeconds(d.marginSeconds());
        if (c.clientCredentials()) {
            c.tokens.computeIfAbsent(Names.GLOBAL_SCOPE, k -> new TokenEntry(c, null));
            if (update) {
                for (TokenEntry t : c.tokens.values()) {
                    t.needsReauth = false;
                    t.nextAttemptAt = 0;
                }
            }
        }
        for (TokenEntry t : c.tokens.values()) reschedule(t);
    }

    private void deleteConnection(String name) {
        final ConnectionEntry c = connections.remove(name);
        if (c == null) return;
        for (TokenEntry t : List.copyOf(c.tokens.values())) remove(t);
    }

    private void issued(int partition, TokenIssued e) {
        final ConnectionEntry c = connections.computeIfAbsent(e.getConnectionName(), n -> new ConnectionEntry(n, partition));
        final TokenEntry t = c.tokens.computeIfAbsent(orgKey(e.getOrgId()), k -> new TokenEntry(c, e.getOrgId()));
        t.integration = name(e.getIntegrationName());
        t.entityId = e.getEntityId();
        t.obtainedAt = e.getIssuedAt().toEpochMilli();
        t.expiresAt = millis(e.getExpiresAt());
        t.refreshToken(e.getRefreshToken());
        t.needsReauth = false;
        t.nextAttemptAt = 0;
        t.attempts = 0;
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void refreshedEvent(TokenRefreshed e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) return;
        t.obtainedAt = e.getRefreshedAt().toEpochMilli();
        t.expiresAt = millis(e.getExpiresAt());
        if (e.getRefreshToken() != null) t.refreshToken(e.getRefreshToken());
        t.needsReauth = false;
        t.nextAttemptAt = 0;
        t.attempts = 0;
        t.answered(e.getRequestId());
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void failedEvent(TokenRefreshFailed e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) return;
        t.attempts = e.getAttempts();
        t.answered(e.getRequestId());
        if (e.getNeedsReauth()) {
            t.needsReauth = true;
            t.nextAttemptAt = 0;
        } else {
            t.nextAttemptAt = e.getNextAttemptAt() != null ? e.getNextAttemptAt().toEpochMilli()
                    : policy.nextRoundAt(e.getOccurredAt()).toEpochMilli();
        }
        newVersion(t, e.getVersion(), e.getEventId());
    }

    private void requested(TokenRefreshRequested e) {
        final TokenEntry t = find(e.getConnectionName(), e.getOrgId());
        if (t == null) {
            LOG.debug("refresh request {} for unknown token {}", e.getRequestId(), e.getTokenId());
            return;
        }
        switch (t.stage) {
            case IDLE -> {
                t.addRequest(e.getRequestId());
                reschedule(t);
            }
            case RETRY_WAIT -> {
                t.addRequest(e.getRequestId());
                if (t.activeRequest == null) t.activeRequest = t.pollRequest();
                if (live(t)) due.schedule(t, clock.millis());
            }
            case QUEUED, IN_FLIGHT -> {
                // Joins the refresh under way: its outcome answers every request of the token, one provider call.
                if (t.activeRequest == null) t.activeRequest = e.getRequestId();
            }
            case AWAITING -> {
                // Joins too: the outcome of the refresh just made is on its way and answers this request.
            }
        }
    }

    /** A token event set a new version: a refresh waiting for its outcome is settled, a pending retry abandoned. */
    private void newVersion(TokenEntry t, long version, String eventId) {
        t.version = version;
        t.basis = basis(eventId);
        switch (t.stage) {
            case AWAITING -> {
                if (version > t.flightVersion) {
                    // The outcome answers every request made before it (the view builder answers the token's
                    // watchers), including those queued while it was being scheduled: none is refreshed again.
                    t.requests = null;
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

    private void settle(TokenEntry t) {
        t.stage = TokenEntry.Stage.IDLE;
        t.pending = null;
        t.pendingAcked = false;
        t.activeRequest = null;
        t.roundAttempts = 0;
        due.remove(t);
        checkReleases();
    }

    private void abandon(TokenEntry t) {
        t.stage = TokenEntry.Stage.IDLE;
        t.returnRequest(t.activeRequest);
        t.activeRequest = null;
        t.roundAttempts = 0;
        due.remove(t);
    }

    private void remove(TokenEntry t) {
        t.removed = true;
        due.remove(t);
        t.connection.tokens.remove(orgKey(t.orgId), t);
        t.stage = TokenEntry.Stage.IDLE;
        t.pending = null;
        checkReleases();
    }

    // ------------------------------------------------------------------------------------------ scheduling

    private void reschedule(TokenEntry t) {
        if (t.removed || t.stage != TokenEntry.Stage.IDLE) return;
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
        if (t.needsReauth) return NOT_DUE;
        if (c.clientCredentials()) {
            if (t.version == 0 && t.nextAttemptAt == 0) return now;
        } else if (t.refreshCiphertext == null) {
            return NOT_DUE;
        }
        if (t.nextAttemptAt != 0) return t.nextAttemptAt;
        final Optional<Instant> expiry = t.expiresAt == TokenEntry.NEVER ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(t.expiresAt));
        return policy.refreshAt(Instant.ofEpochMilli(t.obtainedAt), expiry, c.margin()).toEpochMilli();
    }

    private void fire(TokenEntry t, long now) {
        try {
            switch (t.stage) {
                case AWAITING -> resend(t, now);
                case IDLE, RETRY_WAIT -> begin(t);
                case QUEUED, IN_FLIGHT -> LOG.warn("token {} was due while {}", t.tokenId(), t.stage);
            }
        } catch (RuntimeException e) {
            LOG.error("refreshing token {} failed", t.tokenId(), e);
        }
    }

    private void begin(TokenEntry t) {
        if (t.removed || !live(t)) return;
        final ConnectionEntry c = t.connection;
        if (!c.defined) {
            abandon(t);
            return;
        }
        if (t.stage == TokenEntry.Stage.IDLE) {
            t.flightVersion = t.version;
            t.roundAttempts = 0;
            if (t.activeRequest == null) t.activeRequest = t.pollRequest();
        }
        if (t.needsReauth) {
            refused.incrementAndGet();
            LOG.info("refresh refused token_id={} reason=needs_reauth request_id={}: needs reauthorization",
                    t.tokenId(), t.activeRequest);
            send(t, failure(t, "needs_reauth", true, null));
            return;
        }
        if (!c.clientCredentials() && t.refreshCiphertext == null) {
            conclude(t, new ProviderAnswer.Refused("no_refresh_token"));
            return;
        }
        final Optional<String> url = c.tokenUrlFor(t.entityId);
        if (url.isEmpty()) {
            conclude(t, new ProviderAnswer.Refused("token_url_needs_entity_id"));
            return;
        }
        final ProviderLanes.Lane lane = lanes.lane(url.get());
        if (!lane.tryAcquire()) {
            t.stage = TokenEntry.Stage.QUEUED;
            lane.enqueue(t);
            return;
        }
        call(t, lane, url.get());
    }

    private void drain(ProviderLanes.Lane lane) {
        while (true) {
            final TokenEntry next = lane.next();
            if (next == null) return;
            if (next.stage != TokenEntry.Stage.QUEUED) continue;
            if (next.removed || !live(next)) {
                abandon(next);
                continue;
            }
            final Optional<String> url = next.connection.defined ? next.connection.tokenUrlFor(next.entityId)
                    : Optional.empty();
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

    private void call(TokenEntry t, ProviderLanes.Lane lane, String url) {
        final ConnectionEntry c = t.connection;
        final PartitionState p = partitions.get(c.partition);
        final long from = t.flightVersion;
        final int generation = c.generation;
        t.stage = TokenEntry.Stage.IN_FLIGHT;
        p.inFlight++;
        final TokenRequest grant;
        final OAuthClient client;
        try {
            grant = c.clientCredentials() ? TokenRequest.clientCredentials(c.scopes)
                    : TokenRequest.refreshToken(box.open(t.refreshToken(), SecretPlaces.refreshToken(t.tokenId())));
            final String secret = c.clientSecret == null ? null : box.open(c.clientSecret, SecretPlaces.clientSecret(c.name));
            client = new OAuthClient(c.clientId, secret, c.clientAuth == ClientAuthMethod.CLIENT_SECRET_BASIC
                    ? ClientAuthentication.BASIC : ClientAuthentication.POST);
        } catch (SecretBox.SecretNotOpenedException e) {
            LOG.error("token {}: {}", t.tokenId(), e.getMessage());
            submit(() -> answered(t, lane, p, from, generation, new ProviderAnswer.Retryable("secret_not_opened")));
            return;
        }
        calls.incrementAndGet();
        endpoint.request(url, client, grant).thenApply(ProviderAnswer::of)
                .thenAccept(answer -> submit(() -> answered(t, lane, p, from, generation, answer)));
    }

    private void answered(TokenEntry t, ProviderLanes.Lane lane, PartitionState p, long from, int generation,
                          ProviderAnswer answer) {
        lane.release();
        p.inFlight--;
        try {
            if (t.orphaned) {
                recordOrphan(t, from, answer);
                return;
            }
            if (t.removed || t.stage != TokenEntry.Stage.IN_FLIGHT || t.version != from) {
                LOG.debug("token {}: dropping an answer for version {} (now {}, {})", t.tokenId(), from, t.version,
                        t.removed ? "removed" : t.stage);
                if (!t.removed && t.stage == TokenEntry.Stage.IN_FLIGHT) {
                    abandon(t);
                    reschedule(t);
                }
                return;
            }
            if (!(answer instanceof ProviderAnswer.Granted) && generation != t.connection.generation) {
                LOG.debug("token {}: {} under a connection definition that has changed since; trying the new one",
                        t.tokenId(), answer);
                abandon(t);
                reschedule(t);
                return;
            }
            conclude(t, answer);
        } finally {
            drain(lane);
            checkReleases();
        }
    }

    private void conclude(TokenEntry t, ProviderAnswer answer) {
        final long now = clock.millis();
        final String tokenId = t.tokenId();
        if (answer instanceof ProviderAnswer.Granted g) {
            send(t, granted(t, g, now));
        } else if (answer instanceof ProviderAnswer.Retryable r) {
            t.attempts++;
            t.roundAttempts++;
            if (!live(t)) {
                abandon(t);
                return;
            }
            final Optional<Duration> delay = policy.retryDelay(t.roundAttempts);
            if (delay.isPresent()) {
                LOG.debug("token {} attempt {} failed ({}); retrying in {}", tokenId, t.roundAttempts, r.reason(),
                        delay.get());
                t.stage = TokenEntry.Stage.RETRY_WAIT;
                due.schedule(t, now + delay.get().toMillis());
                return;
            }
            final Instant next = policy.nextRoundAt(Instant.ofEpochMilli(now));
            failedRounds.incrementAndGet();
            LOG.info("refresh failed token_id={} reason={} attempts={} next_attempt_at={} request_id={}", tokenId,
                    r.reason(), t.attempts, next, t.activeRequest);
            if (t.version == 0) {
                abandon(t);
                t.nextAttemptAt = next.toEpochMilli();
                reschedule(t);
                return;
            }
            send(t, failure(t, r.reason(), false, next));
        } else if (answer instanceof ProviderAnswer.Refused f) {
            t.attempts++;
            refused.incrementAndGet();
            LOG.info("refresh refused token_id={} reason={} attempts={} request_id={}: needs reauthorization", tokenId,
                    f.reason(), t.attempts, t.activeRequest);
            if (t.version == 0) {
                abandon(t);
                t.needsReauth = true;
                reschedule(t);
                return;
            }
            send(t, failure(t, f.reason(), true, null));
        }
    }

    /** The command that records new tokens: IssueToken for a client-credentials fetch, else RecordTokenRefresh. */
    private SpecificRecord granted(TokenEntry t, ProviderAnswer.Granted g, long now) {
        final String tokenId = t.tokenId();
        final SealedSecret access = box.seal(g.accessToken(), SecretPlaces.accessToken(tokenId));
        final SealedSecret rotated = g.refreshToken() == null ? null
                : box.seal(g.refreshToken(), SecretPlaces.refreshToken(tokenId));
        final Instant expiresAt = g.expiresInSeconds() == null ? null
                : Instant.ofEpochMilli(now).plusSeconds(g.expiresInSeconds());
        final int attempts = t.attempts + 1;
        final boolean issue = t.connection.clientCredentials() && (t.version == 0 || t.activeRequest == null);
        refreshed.incrementAndGet();
        LOG.info("{} token_id={} from_version={} attempts={} expires_at={} rotated={} request_id={}",
                issue ? "fetched" : "refreshed", tokenId, t.flightVersion, attempts, expiresAt, rotated != null,
                t.activeRequest);
        return issue ? issueToken(t, g, access, rotated, expiresAt, now)
                : recordRefresh(t, access, rotated, expiresAt, attempts, now);
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
        final SpecificRecord command = granted(t, g, clock.millis());
        commands.send(t.connection.name, command).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warn("the refresh of token {} (partition no longer owned) was not recorded: {}", t.tokenId(),
                        error.toString());
            }
        });
    }

    // ------------------------------------------------------------------------------------------ commands

    private void send(TokenEntry t, SpecificRecord command) {
        final PartitionState p = partitions.get(t.connection.partition);
        t.stage = TokenEntry.Stage.AWAITING;
        t.pending = command;
        t.pendingAcked = false;
        if (p != null) p.unacked++;
        commands.send(t.connection.name, command)
                .whenComplete((ok, error) -> submit(() -> acked(t, p, command, error)));
        if (live(t)) due.schedule(t, clock.millis() + outcomeTimeout.toMillis());
        else due.remove(t);
    }

    private void acked(TokenEntry t, PartitionState p, SpecificRecord command, Throwable error) {
        if (p != null) p.unacked--;
        if (error != null) {
            LOG.warn("a command for token {} was not sent ({}); sending it again in {}", t.tokenId(), error.toString(),
                    outcomeTimeout);
        } else if (t.pending == command) {
            t.pendingAcked = true;
        }
        checkReleases();
    }

    private void resend(TokenEntry t, long now) {
        if (t.pending == null || t.removed) {
            settle(t);
            reschedule(t);
            return;
        }
        LOG.warn("no decision yet on the command for token {} (version {}) after {}; sending it again", t.tokenId(),
                t.flightVersion, outcomeTimeout);
        send(t, t.pending);
    }

    private RecordTokenRefresh recordRefresh(TokenEntry t, SealedSecret access, SealedSecret rotated, Instant expiresAt,
                                             int attempts, long now) {
        return RecordTokenRefresh.newBuilder()
                .setCommandId(commandId("refresh", t)).setIssuedAt(Instant.ofEpochMilli(now)).setIssuedBy(ISSUED_BY)
                .setExpectedVersion(t.flightVersion).setTokenId(t.tokenId()).setConnectionName(t.connection.name)
                .setIntegrationName(t.integration).setOrgId(t.orgId).setAccessToken(access).setRefreshToken(rotated)
                .setExpiresAt(expiresAt).setAttempts(attempts).setRequestId(t.activeRequest).build();
    }

    private RecordTokenRefreshFailure failure(TokenEntry t, String reason, boolean needsReauth, Instant nextAttemptAt) {
        return RecordTokenRefreshFailure.newBuilder()
                .setCommandId(commandId("failure", t)).setIssuedAt(Instant.ofEpochMilli(clock.millis()))
                .setIssuedBy(ISSUED_BY).setExpectedVersion(t.flightVersion).setTokenId(t.tokenId())
                .setConnectionName(t.connection.name).setIntegrationName(t.integration).setOrgId(t.orgId)
                .setReason(reason).setAttempts(t.attempts).setNeedsReauth(needsReauth).setNextAttemptAt(nextAttemptAt)
                .setRequestId(t.activeRequest).build();
    }

    private IssueToken issueToken(TokenEntry t, ProviderAnswer.Granted g, SealedSecret access, SealedSecret rotated,
                                  Instant expiresAt, long now) {
        final List<String> scopes = g.scope() != null ? List.of(g.scope().trim().split("\\s+")) : t.connection.scopes;
        return IssueToken.newBuilder()
                .setCommandId(commandId("issue", t)).setIssuedAt(Instant.ofEpochMilli(now)).setIssuedBy(ISSUED_BY)
                .setTokenId(t.tokenId()).setConnectionName(t.connection.name).setIntegrationName(t.integration)
                .setOrgId(t.orgId).setStateHash(null).setAccessToken(access).setRefreshToken(rotated)
                .setTokenType(g.tokenType() == null ? "Bearer" : g.tokenType()).setExpiresAt(expiresAt)
                .setScopes(scopes).setEntityId(t.entityId).build();
    }

    /**
     * A command id derived from what the command answers: its kind, the token, the version it was made from and the
     * event that set that version (or the connection's creation for a token not issued yet). A new owner that
     * repeats a refresh after a crash sends the same id, so the command processor decides it once.
     */
    private static String commandId(String kind, TokenEntry t) {
        final long basis = t.version == 0 ? t.connection.incarnation : t.basis;
        final String seed = ISSUED_BY + "/" + kind + "/" + t.tokenId() + "/" + t.flightVersion + "/"
                + Long.toHexString(basis);
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ------------------------------------------------------------------------------------------ partitions

    private static final class PartitionState {
        boolean live;
        boolean releasing;
        int inFlight;
        int unacked;
    }

    private record Release(Set<Integer> partitions, CompletableFuture<Map<String, Long>> done) {
    }

    private void goLive(int partition) {
        final PartitionState p = partitions.get(partition);
        if (p == null || p.releasing) return;
        p.live = true;
        int count = 0;
        int connectionCount = 0;
        for (ConnectionEntry c : connections.values()) {
            if (c.partition != partition) continue;
            connectionCount++;
            for (TokenEntry t : c.tokens.values()) {
                reschedule(t);
                count++;
            }
        }
        LOG.info("partition {} replayed: {} connections, {} tokens; scheduling", partition, connectionCount, count);
    }

    private void startRelease(Set<Integer> released, CompletableFuture<Map<String, Long>> done) {
        for (int partition : released) {
            final PartitionState p = partitions.get(partition);
            if (p == null) continue;
            p.live = false;
            p.releasing = true;
        }
        for (ConnectionEntry c : connections.values()) {
            if (!released.contains(c.partition)) continue;
            for (TokenEntry t : c.tokens.values()) {
                if (t.stage == TokenEntry.Stage.RETRY_WAIT) abandon(t);
                due.remove(t);
            }
        }
        releases.add(new Release(released, done));
        checkReleases();
    }

    private void checkReleases() {
        if (releases.isEmpty()) return;
        for (Iterator<Release> it = releases.iterator(); it.hasNext(); ) {
            final Release r = it.next();
            boolean quiet = true;
            for (int partition : r.partitions()) {
                final PartitionState p = partitions.get(partition);
                if (p != null && (p.inFlight > 0 || p.unacked > 0)) quiet = false;
            }
            if (!quiet) continue;
            it.remove();
            r.done().complete(awaiting(r.partitions()));
        }
    }

    private Map<String, Long> awaiting(Set<Integer> of) {
        final Map<String, Long> awaiting = new HashMap<>();
        for (ConnectionEntry c : connections.values()) {
            if (!of.contains(c.partition)) continue;
            for (TokenEntry t : c.tokens.values()) {
                if (t.stage == TokenEntry.Stage.AWAITING && t.pendingAcked) awaiting.put(t.tokenId(), t.flightVersion);
            }
        }
        return awaiting;
    }

    private void forget(int partition) {
        for (Iterator<ConnectionEntry> it = connections.values().iterator(); it.hasNext(); ) {
            final ConnectionEntry c = it.next();
            if (c.partition != partition) continue;
            for (TokenEntry t : c.tokens.values()) {
                t.removed = true;
                if (t.stage == TokenEntry.Stage.IN_FLIGHT) t.orphaned = true;
                due.remove(t);
            }
            it.remove();
        }
        partitions.remove(partition);
        for (Iterator<Release> it = releases.iterator(); it.hasNext(); ) {
            final Release r = it.next();
            if (r.partitions().contains(partition)) {
                it.remove();
                r.done().complete(Map.of());
            }
        }
    }

    private boolean live(TokenEntry t) {
        final PartitionState p = partitions.get(t.connection.partition);
        return p != null && p.live;
    }

    // ------------------------------------------------------------------------------------------ small things

    private Stats snapshot() {
        int tokens = 0;
        int inFlight = 0;
        int queued = 0;
        int awaiting = 0;
        for (ConnectionEntry c : connections.values()) {
            for (TokenEntry t : c.tokens.values()) {
                tokens++;
                switch (t.stage) {
                    case IN_FLIGHT -> inFlight++;
                    case QUEUED -> queued++;
                    case AWAITING -> awaiting++;
                    default -> { }
                }
            }
        }
        final int live = (int) partitions.values().stream().filter(p -> p.live).count();
        final int replaying = (int) partitions.values().stream().filter(p -> !p.live && !p.releasing).count();
        return new Stats(connections.size(), tokens, due.size(), inFlight, queued, awaiting, live, replaying,
                calls.get(), refreshed.get(), failedRounds.get(), refused.get());
    }

    private TokenEntry find(String connection, String orgId) {
        final ConnectionEntry c = connections.get(connection);
        return c == null ? null : c.tokens.get(orgKey(orgId));
    }

    private static String orgKey(String orgId) {
        return orgId == null ? Names.GLOBAL_SCOPE : orgId;
    }

    private String name(String value) {
        return value == null ? null : names.computeIfAbsent(value, v -> v);
    }

    private static long millis(Instant instant) {
        return instant == null ? TokenEntry.NEVER : instant.toEpochMilli();
    }

    /** A 64-bit digest of an event id: enough to tell the events that set a token's versions apart. */
    static long basis(String eventId) {
        final UUID digest = UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8));
        return digest.getMostSignificantBits() ^ digest.getLeastSignificantBits();
    }
}
