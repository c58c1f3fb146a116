package com.integrationshub.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.Poll;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import com.integrationshub.testkit.oauth.SentAnswer;
import com.integrationshub.testkit.oauth.TokenCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the refresher chaos tests share: a hub (query-service and token-refreshers as processes) and a strict OAuth
 * provider stand-in (single-use refresh tokens, a reused one revokes the grant), orgs connected through the public
 * API, refreshers killed with SIGKILL and restarted, and the analysis afterwards: what the provider saw, what the hub
 * recorded (the events topic) and what the orgs are served (the org view, GET .../credentials).
 *
 * <p>Token lifetime: 30 s. The refresher refreshes at half the lifetime (the default margin, 5 min, is capped at
 * half), so a token that comes due just as its refresher is killed has 15 s left; a takeover after SIGKILL takes the
 * session timeout (10 s) plus a rebalance and a replay, about 10–13 s on a loaded 2-core machine, so it fits before
 * expiry, while the tokens still refresh often enough (one refresh every 15 s per org) for kills to land inside
 * refreshes.
 */
final class RefreshChaos implements AutoCloseable {

    static final Duration LIFETIME = Duration.ofSeconds(30);
    static final String OUTCOME_LOST = "refresh_outcome_lost";
    private static final List<String> INTEGRATIONS = List.of("A", "B", "C");
    private static final int PARTITIONS = 3;
    /** A token refreshed by a live owner has at least half its lifetime left, less the time a refresh takes. */
    private static final Duration DUE_SLACK = Duration.ofSeconds(3);

    private static final Duration TAKEOVER_DEADLINE = Duration.ofSeconds(60);

    /** An org connected to one integration, its token and the provider's token family behind it. */
    record Org(String id, String integration, String connection, String family) {
        String tokenId() {
            return connection + "/" + id;
        }
    }

    /** A SIGKILL of a refresher: when, and what kind (for the figures). */
    record Kill(Instant at, String kind) {}

    /** How long after a kill the new owner had all partitions live, and had refreshed every token come due. */
    record Takeover(Duration live, Duration caughtUp) {}

    /** Why an org's refresh outcome was lost, if it was. */
    enum Loss {
        /** The provider sent its answer in full (it confirms), the hub never recorded it. */
        ANSWER_SENT_NOT_RECORDED,
        /** The provider exchanged the refresh token but its answer never reached the refresher in full. */
        EXCHANGED_NOT_SENT,
        /** The attempt was recorded, the provider never saw the call (a kill between the two). */
        ATTEMPT_ONLY,
        NONE
    }

    /** What happened to one org, from the provider's, the events' and the public API's side. */
    record Outcome(
            Org org,
            String status,
            int refreshesExchanged,
            int refreshAnswersSent,
            int refreshesRecorded,
            TokenEvents.Entry lostFailure,
            Optional<Kill> killBeforeLoss,
            Loss loss,
            Duration longestGap) {}

    final OAuthProviderStandIn provider;
    final Hub hub;
    final OAuthJourney journey;
    final long seed;
    final Random random;
    final List<Org> orgs = new ArrayList<>();
    final List<Kill> kills = new CopyOnWriteArrayList<>();
    final List<Takeover> takeovers = new ArrayList<>();
    private final List<ServiceProcess> alive = new CopyOnWriteArrayList<>();
    private final Set<String> seenNeedingReauth = ConcurrentHashMap.newKeySet();
    private final Http admin;

    private RefreshChaos(OAuthProviderStandIn provider, Hub hub, long seed) {
        this.provider = provider;
        this.hub = hub;
        this.journey = new OAuthJourney(hub, provider);
        this.seed = seed;
        this.random = new Random(seed);
        this.admin = new Http(hub.url(), TestTokens.admin());
        alive.add(hub.refreshers().get(0));
    }

    /** Starts the stand-in and the hub with one refresher; the seed of the random moments comes from -Dchaos.seed. */
    static RefreshChaos start() {
        OAuthProviderStandIn provider = OAuthProviderStandIn.start();
        Hub hub = Hub.start(Map.of("HUB_REFRESHER_FLOOR", "1s", "HUB_REFRESHER_HANDOVER_TIMEOUT", "5s"));
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        return new RefreshChaos(provider, hub, seed);
    }

    // ------------------------------------------------------------------------------------------ set-up

    /** Defines three integrations (one connection each, so tokens spread over the partitions) and connects orgs. */
    void connect(int count) throws Exception {
        for (String name : INTEGRATIONS) journey.defineIntegration(name, connection(name), ClientAuth.BASIC);
        provider.setExpiresIn(LIFETIME);
        connectMore(count);
    }

    /** Connects `count` more orgs (after {@link #connect}), spread over the integrations like the first ones. */
    void connectMore(int count) throws Exception {
        int first = orgs.size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Org>> connected = new ArrayList<>();
            for (int i = first; i < first + count; i++) {
                String integration = INTEGRATIONS.get(i % INTEGRATIONS.size());
                String org = "org-" + i;
                connected.add(pool.submit(() -> {
                    journey.connect(integration, org);
                    return new Org(org, integration, connection(integration), journey.family(integration, org));
                }));
            }
            for (Future<Org> f : connected) orgs.add(f.get());
        } finally {
            pool.shutdown();
        }
    }

    private static String connection(String integration) {
        return "conn-" + integration.toLowerCase();
    }

    // ------------------------------------------------------------------------------------------ refreshers

    /** The refreshers running now, oldest first. */
    List<ServiceProcess> alive() {
        return List.copyOf(alive);
    }

    /** Kills a refresher with SIGKILL (no shutdown hook, nothing handed over) and records when. */
    void kill(ServiceProcess refresher, String kind) {
        Instant at = Instant.now();
        refresher.kill();
        alive.remove(refresher);
        kills.add(new Kill(at, kind));
    }

    /** Starts one more refresher in the group, as a supervisor restarting a killed one does at once. */
    ServiceProcess startRefresher() {
        ServiceProcess refresher = hub.startRefresher();
        alive.add(refresher);
        return refresher;
    }

    /**
     * Kills {@code refresher} in the instant after the provider sent its next successful refresh answer in full (on
     * the stand-in's thread, before the refresher can record it, unless it is faster than a SIGKILL); returns that
     * answer.
     */
    SentAnswer killRightAfterNextRefreshAnswer(ServiceProcess refresher, Duration timeout) throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        CompletableFuture<SentAnswer> hit = new CompletableFuture<>();
        provider.onAnswerSent(answer -> {
            if (answer.isSuccessfulRefresh() && armed.compareAndSet(true, false)) {
                kill(refresher, "aimed");
                hit.complete(answer);
            }
        });
        try {
            return hit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            provider.onAnswerSent(null);
        }
    }

    /** Sleeps a random time up to {@code max}, so the next kill lands at a random moment. */
    void pauseRandomly(Duration max) {
        Poll.pause(Duration.ofMillis(random.nextLong(max.toMillis() + 1)));
    }

    /**
     * Waits until the running refreshers own every partition live (replayed), each of them some, then until every token that came due meanwhile is refreshed; after a kill, records how long after
     * it each came.
     */
    void awaitTakeover() {
        boolean afterKill = kills.size() > takeovers.size();
        Instant killed = afterKill ? kills.get(kills.size() - 1).at() : Instant.now();
        Poll.until(
                TAKEOVER_DEADLINE,
                () -> alive.stream().map(this::livePartitions).toList(),
                live -> live.stream().mapToInt(Integer::intValue).sum() == PARTITIONS
                        && live.stream().allMatch(n -> n > 0),
                "every partition live on " + alive.size() + " refresher(s)");
        Duration live = Duration.between(killed, Instant.now());
        Poll.until(TAKEOVER_DEADLINE, this::overdue, List::isEmpty, "every token come due refreshed");
        if (afterKill) takeovers.add(new Takeover(live, Duration.between(killed, Instant.now())));
    }

    /** Waits until every org not needing reauthorization had a refresh exchanged after {@code since}. */
    void awaitEveryActiveOrgRefreshedAfter(Instant since) {
        Poll.until(
                LIFETIME.plus(TAKEOVER_DEADLINE),
                () -> orgs.stream()
                        .filter(o -> !seenNeedingReauth.contains(o.id()))
                        .filter(o -> provider.callTimes(o.family()).stream().noneMatch(t -> t.isAfter(since)))
                        .filter(o -> !"needs_reauth".equals(status(o)))
                        .map(Org::id)
                        .toList(),
                List::isEmpty,
                "every active org refreshed after " + since);
    }

    private int livePartitions(ServiceProcess refresher) {
        Http.Reply stats = new Http(refresher.url(), TestTokens.admin()).get("/refresher");
        if (stats.status() != 200) throw new IllegalStateException(stats.toString());
        JsonNode json = stats.json();
        int live = field(json, "livePartitions", "live_partitions");
        int replaying = field(json, "replayingPartitions", "replaying_partitions");
        return replaying == 0 ? live : -PARTITIONS;
    }

    private static int field(JsonNode json, String camel, String snake) {
        JsonNode value = json.has(camel) ? json.get(camel) : json.get(snake);
        if (value == null) throw new IllegalStateException("no " + camel + " in " + json);
        return value.asInt();
    }

    /**
     * The orgs whose newest token (as the provider issued it) has less than half its lifetime left and which do not
     * need reauthorization: due, not refreshed yet.
     */
    private List<String> overdue() {
        Instant dueBefore = Instant.now().plus(LIFETIME.dividedBy(2)).minus(DUE_SLACK);
        List<String> overdue = new ArrayList<>();
        for (Org org : orgs) {
            if (seenNeedingReauth.contains(org.id())) continue;
            Instant covered = provider.validity(org.family()).coveredUntil();
            if (covered == null || covered.isAfter(dueBefore)) continue;
            if ("needs_reauth".equals(status(org))) seenNeedingReauth.add(org.id());
            else overdue.add(org.id());
        }
        return overdue;
    }

    // ------------------------------------------------------------------------------------------ public API

    /** The org's token status as the org view shows it to the org ("unavailable" when it does not answer 200). */
    String status(Org org) {
        Http.Reply view =
                admin.as(TestTokens.org(org.id())).get("/v1/orgs/" + org.id() + "/integrations/" + org.integration());
        if (view.status() != 200) return "unavailable: " + view.status();
        return view.json().get("oauth").get("status").asText();
    }

    /** The org view's reauth_reason: why a person must connect again (null while the token is usable). */
    String reauthReason(Org org) {
        Http.Reply view =
                admin.as(TestTokens.org(org.id())).get("/v1/orgs/" + org.id() + "/integrations/" + org.integration());
        if (view.status() != 200) return "unavailable: " + view.status();
        return view.json().get("oauth").path("reauth_reason").asText(null);
    }

    /** GET .../credentials as the org. */
    Http.Reply credentials(Org org) {
        return admin.as(TestTokens.org(org.id()))
                .get("/v1/orgs/" + org.id() + "/integrations/" + org.integration() + "/credentials");
    }

    // ------------------------------------------------------------------------------------------ analysis

    private TokenEvents finalEvents;

    /**
     * Stops the refreshers gracefully (each hands over: its in-flight refreshes end and their outcomes are acknowledged)
     * and waits until the events topic stops growing, so what the provider saw and what the hub recorded can be
     * compared without a refresh caught half-way.
     */
    private void quiesce() {
        if (finalEvents != null) return;
        hub.stopRefreshers();
        alive.clear();
        int[] last = {-1};
        finalEvents = Poll.until(
                Duration.ofSeconds(30),
                () -> {
                    Poll.pause(Duration.ofSeconds(1));
                    return TokenEvents.read(hub);
                },
                events -> {
                    boolean settled = events.size() == last[0];
                    last[0] = events.size();
                    return settled;
                },
                "the events topic settled");
    }

    /** What happened to every org, once the run is over. */
    List<Outcome> outcomes() {
        quiesce();
        Instant end = Instant.now();
        TokenEvents events = finalEvents;
        List<TokenCall> calls = provider.calls();
        List<SentAnswer> sent = provider.answersSent();
        List<Outcome> outcomes = new ArrayList<>();
        for (Org org : orgs) {
            int exchanged = (int) calls.stream()
                    .filter(c -> org.family().equals(c.family()) && refresh(c) && c.succeeded())
                    .count();
            int answersSent = (int) sent.stream()
                    .filter(a -> org.family().equals(a.call().family()) && a.isSuccessfulRefresh())
                    .count();
            int recorded = events.of(org.tokenId(), "TokenRefreshed").size();
            TokenEvents.Entry lost = events.of(org.tokenId(), "TokenRefreshFailed").stream()
                    .filter(f -> OUTCOME_LOST.equals(f.reason()))
                    .findFirst()
                    .orElse(null);
            Optional<Kill> killBeforeLoss = lost == null
                    ? Optional.empty()
                    : kills.stream().filter(k -> !k.at().isAfter(lost.at())).max(Comparator.comparing(Kill::at));
            Loss loss = Loss.NONE;
            if (exchanged > recorded)
                loss = answersSent > recorded ? Loss.ANSWER_SENT_NOT_RECORDED : Loss.EXCHANGED_NOT_SENT;
            else if (lost != null) loss = Loss.ATTEMPT_ONLY;
            Instant from = provider.validity(org.family()).windows().get(0).from();
            Instant until =
                    loss == Loss.NONE ? end : killBeforeLoss.map(Kill::at).orElse(end);
            Duration gap = provider.validity(org.family()).longestGap(from, until);
            outcomes.add(
                    new Outcome(org, status(org), exchanged, answersSent, recorded, lost, killBeforeLoss, loss, gap));
        }
        return outcomes;
    }

    /**
     * The kills that landed inside a refresh: after the provider received a refresh call that it answered with tokens
     * and before the hub recorded that refresh's outcome (its TokenRefreshed, or for a lost one the
     * refresh_outcome_lost failure).
     */
    long killsInsideARefresh() {
        quiesce();
        TokenEvents events = finalEvents;
        List<TokenCall> calls = provider.calls();
        List<Instant[]> windows = new ArrayList<>();
        for (Org org : orgs) {
            List<Instant> exchanged = calls.stream()
                    .filter(c -> org.family().equals(c.family()) && refresh(c) && c.succeeded())
                    .map(TokenCall::at)
                    .sorted()
                    .toList();
            List<TokenEvents.Entry> recorded = events.of(org.tokenId(), "TokenRefreshed");
            Instant lostAt = events.of(org.tokenId(), "TokenRefreshFailed").stream()
                    .filter(f -> OUTCOME_LOST.equals(f.reason()))
                    .map(TokenEvents.Entry::at)
                    .findFirst()
                    .orElse(Instant.MAX);
            for (int i = 0; i < exchanged.size(); i++) {
                Instant outcome = i < recorded.size() ? recorded.get(i).at() : lostAt;
                windows.add(new Instant[] {exchanged.get(i), outcome});
            }
        }
        return kills.stream()
                .filter(k -> windows.stream().anyMatch(w -> !k.at().isBefore(w[0]) && k.at().isBefore(w[1])))
                .count();
    }

    private static boolean refresh(TokenCall call) {
        return OAuthProviderStandIn.REFRESH_TOKEN.equals(call.grantType());
    }

    /** One greppable line of figures. */
    String figures(String test, List<Outcome> outcomes, long insideARefresh) {
        Outcome longest =
                outcomes.stream().max(Comparator.comparing(Outcome::longestGap)).orElseThrow();
        return String.format(
                "chaos: test=%s seed=%d orgs=%d lifetime_s=%d kills=%d kills_inside_a_refresh=%d needs_reauth=%d"
                        + " lost_answer_sent_not_recorded=%d lost_exchanged_not_sent=%d lost_attempt_only=%d"
                        + " refresh_tokens_presented_twice=%d grants_revoked=%d longest_no_valid_token_ms=%d (%s)"
                        + " takeover_live_ms=%s takeover_caught_up_ms=%s refreshes=%d"
                        + " attempt_recorded_to_call_ms_p50/p99/max=%s call_to_outcome_recorded_ms_p50/p99/max=%s",
                test,
                seed,
                orgs.size(),
                LIFETIME.toSeconds(),
                kills.size(),
                insideARefresh,
                outcomes.stream().filter(o -> "needs_reauth".equals(o.status())).count(),
                count(outcomes, Loss.ANSWER_SENT_NOT_RECORDED),
                count(outcomes, Loss.EXCHANGED_NOT_SENT),
                count(outcomes, Loss.ATTEMPT_ONLY),
                provider.refreshTokensPresentedTwice(),
                provider.grantsRevoked(),
                longest.longestGap().toMillis(),
                longest.org().id(),
                takeovers.stream().map(t -> t.live().toMillis()).toList(),
                takeovers.stream().map(t -> t.caughtUp().toMillis()).toList(),
                provider.tokenCalls(OAuthProviderStandIn.REFRESH_TOKEN),
                percentiles(windows().attemptToCall()),
                percentiles(windows().callToOutcome()));
    }

    /** The two parts of each refresh's window (ms), from the events' decision times and the provider's call times. */
    record Windows(List<Long> attemptToCall, List<Long> callToOutcome) {}

    /**
     * For each refresh exchanged: the time from its attempt being decided (TokenRefreshAttempted) to the provider
     * receiving the call — a kill in there loses an outcome the provider never saw — and from the call to its
     * TokenRefreshed being decided — a kill in there before the command is acknowledged loses the answer.
     */
    Windows windows() {
        quiesce();
        List<TokenCall> calls = provider.calls();
        List<Long> attemptToCall = new ArrayList<>();
        List<Long> callToOutcome = new ArrayList<>();
        for (Org org : orgs) {
            List<TokenEvents.Entry> attempts = finalEvents.of(org.tokenId(), "TokenRefreshAttempted");
            List<TokenEvents.Entry> recorded = finalEvents.of(org.tokenId(), "TokenRefreshed");
            List<Instant> exchanged = calls.stream()
                    .filter(c -> org.family().equals(c.family()) && refresh(c) && c.succeeded())
                    .map(TokenCall::at)
                    .sorted()
                    .toList();
            for (int i = 0; i < exchanged.size(); i++) {
                Instant call = exchanged.get(i);
                attempts.stream()
                        .map(TokenEvents.Entry::at)
                        .filter(a -> !a.isAfter(call))
                        .max(Comparator.naturalOrder())
                        .ifPresent(
                                a -> attemptToCall.add(Duration.between(a, call).toMillis()));
                if (i < recorded.size()) {
                    callToOutcome.add(
                            Duration.between(call, recorded.get(i).at()).toMillis());
                }
            }
        }
        return new Windows(attemptToCall, callToOutcome);
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) return "-";
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2) + "/" + sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1) + "/"
                + sorted.get(sorted.size() - 1);
    }

    private static long count(List<Outcome> outcomes, Loss loss) {
        return outcomes.stream().filter(o -> o.loss() == loss).count();
    }

    @Override
    public void close() {
        provider.onAnswerSent(null);
        hub.close();
        provider.close();
    }
}
