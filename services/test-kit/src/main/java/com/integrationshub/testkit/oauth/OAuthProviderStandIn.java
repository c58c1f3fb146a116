package com.integrationshub.testkit.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small OAuth 2.0 authorization server for tests, on 127.0.0.1 with a free port: the authorization endpoint
 * (RFC 6749 §4.1 with RFC 7636 PKCE, S256 only) and the token endpoint with the {@code authorization_code},
 * {@code refresh_token} and {@code client_credentials} grants.
 *
 * <p>Both endpoints answer under any path prefix ({@code /authorize}, {@code /tenant-1/authorize},
 * {@code /t/x/token}, ...), so a test can template a tenant into the URL and check which path was called
 * ({@link #paths()}).
 *
 * <p>Refresh tokens are single-use and rotate: each successful refresh invalidates the token it used and answers a
 * new one. Presenting a used refresh token again answers {@code invalid_grant}, is recorded in
 * {@link #reusedRefreshTokens()} and revokes the whole token family (its access tokens and its current refresh
 * token), as RFC 9700 §4.14.2 recommends. A family is the chain of tokens that started with one authorization.
 *
 * <p>Failure modes (errors, delays, redirects: {@link Fault}) are switched with thread-safe setters:
 * {@link #failNext(int, Fault)} (a queue of faults for the
 * next calls), {@link #failNext(String, int, Fault)} (for the refresh calls of one family),
 * {@link #failAlways(Fault)} (sticky), {@link #setOmitRefreshToken(boolean)} and {@link #setExpiresIn(Duration)}.
 * Every call is recorded for inspection ({@link #calls()}), and so is every answer sent in full ({@link #answersSent()};
 * {@link #onAnswerSent} runs a hook right after each, e.g. to kill the caller in that instant). Counters for chaos
 * tests: {@link #refreshTokensPresentedTwice()}, {@link #grantsRevoked()}, and {@link #validity(String)} (when each
 * access token of a family was valid, for the longest time a holder had none).
 *
 * <p>This class is the stand-in's face; the roles behind it: {@link StandInServer} (HTTP transport),
 * {@link TokenEndpoint} and {@link AuthorizeEndpoint} (the endpoints' HTTP rules), {@link GrantRules} (codes, grants,
 * rotation) over {@link TokenFamilies} (the issued tokens), {@link ClientAuthentication}, {@link Faults} and
 * {@link CallLog}. One lock guards all their state, so each call is decided and recorded atomically.
 */
public final class OAuthProviderStandIn implements AutoCloseable {

    /** The {@code grant_type} of the code exchange. */
    public static final String AUTHORIZATION_CODE = "authorization_code";
    /** The {@code grant_type} of a refresh. */
    public static final String REFRESH_TOKEN = "refresh_token";
    /** The {@code grant_type} of the client credentials grant. */
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    /** The grant recorded for tokens made by {@link #mint}. */
    public static final String MINTED = "minted";

    private final Object lock = new Object();
    private final Clock clock;
    private final GrantRules rules = new GrantRules();
    private final Faults faults = new Faults();
    private final CallLog log = new CallLog();
    private final StandInServer server;
    private volatile Consumer<SentAnswer> answerSentHook;

    private OAuthProviderStandIn(Clock clock) {
        this.clock = clock;
        this.server = StandInServer.start(
                new TokenEndpoint(lock, clock, rules, faults, log),
                new AuthorizeEndpoint(lock, clock, rules),
                path -> {
                    synchronized (lock) {
                        log.path(path);
                    }
                },
                this::answerSent);
    }

    private void answerSent(TokenCall call) {
        final SentAnswer sent = new SentAnswer(call, clock.instant());
        synchronized (lock) {
            log.sent(sent);
        }
        final Consumer<SentAnswer> hook = answerSentHook;
        if (hook != null) hook.accept(sent);
    }

    /** Starts a stand-in on 127.0.0.1 with a free port. */
    public static OAuthProviderStandIn start() {
        return start(Clock.systemUTC());
    }

    /** Starts a stand-in on 127.0.0.1 with a free port, reading time from {@code clock}. */
    public static OAuthProviderStandIn start(Clock clock) {
        return new OAuthProviderStandIn(clock);
    }

    // ------------------------------------------------------------------------------------------ addresses

    /** Returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Returns the URL of the authorization endpoint without a path prefix. */
    public String authorizationUrl() {
        return url("/authorize");
    }

    /** Returns the URL of the token endpoint without a path prefix. */
    public String tokenUrl() {
        return url("/token");
    }

    /** Returns the base URL followed by {@code path}, e.g. {@code url("/{entity_id}/token")}. */
    public String url(String path) {
        return baseUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    // ------------------------------------------------------------------------------------------ set-up

    /** Registers (or replaces) a client with its secret, its token endpoint authentication and redirect URIs. */
    public void registerClient(String clientId, String clientSecret, ClientAuth auth, String... redirectUris) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(auth, "auth");
        synchronized (lock) {
            rules.register(new RegisteredClient(clientId, clientSecret, auth, Set.of(redirectUris)));
        }
    }

    /**
     * Returns a new token family for a registered client, as if a person had just completed the authorization code
     * flow: an access token (with the current {@link #setExpiresIn expires_in}) and a first refresh token.
     */
    public MintedGrant mint(String clientId, String scope) {
        synchronized (lock) {
            return rules.mint(clientId, scope, clock.instant());
        }
    }

    // ------------------------------------------------------------------------------------------ failure modes

    /** Makes the next {@code calls} token calls (of any grant) answer with {@code fault}, after earlier queued ones. */
    public void failNext(int calls, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            faults.failNext(calls, fault);
        }
    }

    /** Makes the next {@code calls} refresh calls of one token family answer with {@code fault}. */
    public void failNext(String family, int calls, Fault fault) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            faults.failNext(family, calls, fault);
        }
    }

    /** Makes every token call answer with {@code fault} (after any queued faults), until cleared with null. */
    public void failAlways(Fault fault) {
        synchronized (lock) {
            faults.failAlways(fault);
        }
    }

    /** Clears queued and sticky faults. */
    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /**
     * Whether refresh answers omit {@code refresh_token}. While omitted, a refresh does not rotate: the refresh token
     * used stays valid.
     */
    public void setOmitRefreshToken(boolean omit) {
        synchronized (lock) {
            rules.setOmitRefreshToken(omit);
        }
    }

    /**
     * How long a rotated refresh token is accepted again, as providers with a reuse grace do; null (the default)
     * accepts it never: reuse revokes the family.
     */
    public void setReuseGrace(Duration grace) {
        synchronized (lock) {
            rules.setReuseGrace(grace);
        }
    }

    /** The lifetime of access tokens issued from now on ({@code expires_in}); null omits it (no expiry). */
    public void setExpiresIn(Duration lifetime) {
        if (lifetime != null && lifetime.isNegative()) throw new IllegalArgumentException("negative expires_in");
        synchronized (lock) {
            rules.setExpiresIn(lifetime);
        }
    }

    /**
     * Runs {@code hook} right after each token answer was sent in full (on the stand-in's thread that served it, before
     * that thread serves anything else), e.g. to kill the caller in the instant after a provider answered; null
     * removes it. The hook should be quick: other calls are served meanwhile, but this one's thread waits.
     */
    public void onAnswerSent(Consumer<SentAnswer> hook) {
        answerSentHook = hook;
    }

    /** How long an authorization code can be exchanged (default one minute). */
    public void setCodeLifetime(Duration lifetime) {
        synchronized (lock) {
            rules.setCodeLifetime(Objects.requireNonNull(lifetime, "lifetime"));
        }
    }

    // ------------------------------------------------------------------------------------------ inspection

    /** Returns every token call so far, in arrival order. */
    public List<TokenCall> calls() {
        synchronized (lock) {
            return log.calls();
        }
    }

    /** Returns the number of token calls so far. */
    public int tokenCalls() {
        synchronized (lock) {
            return log.tokenCalls();
        }
    }

    /** Returns the number of token calls with this {@code grant_type} so far. */
    public int tokenCalls(String grantType) {
        synchronized (lock) {
            return log.tokenCalls(grantType);
        }
    }

    /**
     * Returns how many late answers ({@link Fault#lateAnswer}) have been sent after their wait (whether or not the
     * client still waited for them).
     */
    public int lateAnswersSent() {
        synchronized (lock) {
            return log.lateAnswersSent();
        }
    }

    /** Returns how many token calls presented this refresh token. */
    public int callsWithRefreshToken(String refreshToken) {
        synchronized (lock) {
            return log.callsWithRefreshToken(refreshToken);
        }
    }

    /** Returns every PKCE code verifier presented at the token endpoint, so tests can look for it where it must not be. */
    public List<String> receivedVerifiers() {
        synchronized (lock) {
            return log.verifiers();
        }
    }

    /** Returns the used refresh tokens presented again, in order; empty in a run without reuse. */
    public List<String> reusedRefreshTokens() {
        synchronized (lock) {
            return log.reusedRefreshTokens();
        }
    }

    /** Returns how many distinct used refresh tokens were presented again (each a reuse that revoked its family). */
    public int refreshTokensPresentedTwice() {
        synchronized (lock) {
            return (int) log.reusedRefreshTokens().stream().distinct().count();
        }
    }

    /** Returns how many grants (token families) were revoked: by a reused refresh token or a replayed code. */
    public int grantsRevoked() {
        synchronized (lock) {
            return rules.families().revokedFamilies();
        }
    }

    /** Returns when each access token of a family was valid, so a test can find the times its holder had none. */
    public AccessTokenValidity validity(String family) {
        synchronized (lock) {
            return rules.families().validity(family);
        }
    }

    /** Returns the token answers sent in full so far, in the order they were sent (see {@link #onAnswerSent}). */
    public List<SentAnswer> answersSent() {
        synchronized (lock) {
            return log.sent();
        }
    }

    /** Returns the arrival times of the token calls of a family (its code exchange and its refreshes). */
    public List<Instant> callTimes(String family) {
        synchronized (lock) {
            return log.callTimes(family);
        }
    }

    /** Returns the family of a refresh or access token, or null if the stand-in never issued it. */
    public String familyOf(String token) {
        synchronized (lock) {
            return rules.families().familyOf(token);
        }
    }

    /** Returns the refresh token a family can use now, or null when it has none (revoked, unknown). */
    public String currentRefreshToken(String family) {
        synchronized (lock) {
            return rules.families().currentRefreshToken(family);
        }
    }

    /** Returns every access token issued so far, in order, each with whether it is valid now. */
    public List<IssuedAccessToken> issuedAccessTokens() {
        synchronized (lock) {
            return rules.families().issuedAccessTokens(clock.instant());
        }
    }

    /** Returns whether the stand-in issued this access token and it is neither expired nor revoked. */
    public boolean accessTokenValid(String accessToken) {
        synchronized (lock) {
            return rules.families().accessTokenValid(accessToken, clock.instant());
        }
    }

    /** Returns the paths of every request so far (both endpoints, and unknown paths), in arrival order. */
    public List<String> paths() {
        synchronized (lock) {
            return log.paths();
        }
    }

    // ------------------------------------------------------------------------------------------ authorize

    /**
     * Runs the authorization endpoint on a query as a browser would send it, the person consenting at once.
     * Returns the redirect URL: with {@code code} and {@code state}, or with {@code error} and {@code state} when the
     * request is invalid but the redirect URI can be trusted.
     *
     * @throws IllegalArgumentException when the client or redirect URI is unknown, so there is nowhere to redirect
     */
    public String authorize(Map<String, String> query) {
        final AuthorizeAnswer answer;
        synchronized (lock) {
            answer = rules.authorize(query, clock.instant());
        }
        if (answer instanceof AuthorizeAnswer.Redirect redirect) return redirect.url();
        throw new IllegalArgumentException(((AuthorizeAnswer.Refusal) answer).why());
    }

    /** Returns the S256 code challenge of a PKCE code verifier (RFC 7636 §4.2). */
    public static String s256(String verifier) {
        return GrantRules.s256(verifier);
    }

    /** Stops the server at once and its threads. */
    @Override
    public void close() {
        server.close();
    }
}
