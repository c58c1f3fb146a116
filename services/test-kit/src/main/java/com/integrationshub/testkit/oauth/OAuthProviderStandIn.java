package com.integrationshub.testkit.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Every call is recorded for inspection ({@link #calls()}).
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

    private static final Logger LOG = LoggerFactory.getLogger(OAuthProviderStandIn.class);
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final int BACKLOG = 1024;
    private static final int TOKEN_BYTES = 32;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String REALM = "Basic realm=\"oauth-stand-in\"";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();

    private final Object lock = new Object();
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, RefreshRecord> refreshTokens = new HashMap<>();
    private final Map<String, AccessRecord> accessTokens = new LinkedHashMap<>();
    private final Map<String, Family> families = new HashMap<>();
    private final Map<String, Integer> callsPerRefreshToken = new HashMap<>();
    private final List<TokenCall> calls = new ArrayList<>();
    private final List<String> reused = new ArrayList<>();
    private final List<String> verifiers = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, Deque<Fault>> familyFaults = new HashMap<>();
    private Fault stickyFault;
    private boolean omitRefreshToken;
    private Duration expiresIn = Duration.ofHours(1);
    private Duration codeLifetime = Duration.ofMinutes(1);
    private long familySequence;

    private OAuthProviderStandIn(HttpServer server, ExecutorService executor, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.clock = clock;
    }

    /** Starts a stand-in on 127.0.0.1 with a free port. */
    public static OAuthProviderStandIn start() {
        return start(Clock.systemUTC());
    }

    /** Starts a stand-in on 127.0.0.1 with a free port, reading time from {@code clock}. */
    public static OAuthProviderStandIn start(Clock clock) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the OAuth stand-in's port on 127.0.0.1", e);
        }
        final AtomicInteger threads = new AtomicInteger();
        final ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "oauth-stand-in-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        final OAuthProviderStandIn standIn = new OAuthProviderStandIn(server, executor, clock);
        server.createContext("/", standIn::handle);
        server.setExecutor(executor);
        server.start();
        return standIn;
    }

    // ------------------------------------------------------------------------------------------ addresses

    /** Returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
            clients.put(clientId, new Client(clientId, clientSecret, auth, Set.of(redirectUris)));
        }
    }

    /**
     * Returns a new token family for a registered client, as if a person had just completed the authorization code
     * flow: an access token (with the current {@link #setExpiresIn expires_in}) and a first refresh token.
     */
    public MintedGrant mint(String clientId, String scope) {
        synchronized (lock) {
            final Client client = clients.get(clientId);
            if (client == null) throw new IllegalArgumentException("no client " + clientId + " is registered");
            final Instant now = clock.instant();
            final Family family = newFamily(clientId, scope);
            final String access = newAccessToken(client.id(), MINTED, family, now);
            final String refresh = newRefreshToken(family);
            return new MintedGrant(access, refresh, family.id, now, expiresIn);
        }
    }

    // ------------------------------------------------------------------------------------------ failure modes

    /** Makes the next {@code calls} token calls (of any grant) answer with {@code fault}, after earlier queued ones. */
    public void failNext(int calls, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            for (int i = 0; i < calls; i++) faults.addLast(fault);
        }
    }

    /** Makes the next {@code calls} refresh calls of one token family answer with {@code fault}. */
    public void failNext(String family, int calls, Fault fault) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            final Deque<Fault> queue = familyFaults.computeIfAbsent(family, f -> new ArrayDeque<>());
            for (int i = 0; i < calls; i++) queue.addLast(fault);
        }
    }

    /** Makes every token call answer with {@code fault} (after any queued faults), until cleared with null. */
    public void failAlways(Fault fault) {
        synchronized (lock) {
            stickyFault = fault;
        }
    }

    /** Clears queued and sticky faults. */
    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
            familyFaults.clear();
            stickyFault = null;
        }
    }

    /**
     * Whether refresh answers omit {@code refresh_token}. While omitted, a refresh does not rotate: the refresh token
     * used stays valid.
     */
    public void setOmitRefreshToken(boolean omit) {
        synchronized (lock) {
            omitRefreshToken = omit;
        }
    }

    /** The lifetime of access tokens issued from now on ({@code expires_in}); null omits it (no expiry). */
    public void setExpiresIn(Duration lifetime) {
        if (lifetime != null && lifetime.isNegative()) throw new IllegalArgumentException("negative expires_in");
        synchronized (lock) {
            expiresIn = lifetime;
        }
    }

    /** How long an authorization code can be exchanged (default one minute). */
    public void setCodeLifetime(Duration lifetime) {
        synchronized (lock) {
            codeLifetime = Objects.requireNonNull(lifetime, "lifetime");
        }
    }

    // ------------------------------------------------------------------------------------------ inspection

    /** Returns every token call so far, in arrival order. */
    public List<TokenCall> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** Returns the number of token calls so far. */
    public int tokenCalls() {
        synchronized (lock) {
            return calls.size();
        }
    }

    /** Returns the number of token calls with this {@code grant_type} so far. */
    public int tokenCalls(String grantType) {
        synchronized (lock) {
            return (int) calls.stream().filter(c -> Objects.equals(grantType, c.grantType())).count();
        }
    }

    /** Returns how many token calls presented this refresh token. */
    public int callsWithRefreshToken(String refreshToken) {
        synchronized (lock) {
            return callsPerRefreshToken.getOrDefault(refreshToken, 0);
        }
    }

    /** Returns every PKCE code verifier presented at the token endpoint, so tests can look for it where it must not be. */
    public List<String> receivedVerifiers() {
        synchronized (lock) {
            return List.copyOf(verifiers);
        }
    }

    /** Returns the used refresh tokens presented again, in order; empty in a run without reuse. */
    public List<String> reusedRefreshTokens() {
        synchronized (lock) {
            return List.copyOf(reused);
        }
    }

    /** Returns the arrival times of the token calls of a family (its code exchange and its refreshes). */
    public List<Instant> callTimes(String family) {
        synchronized (lock) {
            final Family f = families.get(family);
            return f == null ? List.of() : List.copyOf(f.callTimes);
        }
    }

    /** Returns the family of a refresh or access token, or null if the stand-in never issued it. */
    public String familyOf(String token) {
        synchronized (lock) {
            final RefreshRecord refresh = refreshTokens.get(token);
            if (refresh != null) return refresh.family;
            final AccessRecord access = accessTokens.get(token);
            return access == null ? null : access.family;
        }
    }

    /** Returns the refresh token a family can use now, or null when it has none (revoked, unknown). */
    public String currentRefreshToken(String family) {
        synchronized (lock) {
            final Family f = families.get(family);
            if (f == null || f.currentRefresh == null) return null;
            final RefreshRecord record = refreshTokens.get(f.currentRefresh);
            return record.state == RefreshState.ACTIVE ? f.currentRefresh : null;
        }
    }

    /** Returns every access token issued so far, in order, each with whether it is valid now. */
    public List<IssuedAccessToken> issuedAccessTokens() {
        synchronized (lock) {
            final Instant now = clock.instant();
            return accessTokens.values().stream().map(a -> a.view(now)).toList();
        }
    }

    /** Returns whether the stand-in issued this access token and it is neither expired nor revoked. */
    public boolean accessTokenValid(String accessToken) {
        synchronized (lock) {
            final AccessRecord record = accessTokens.get(accessToken);
            return record != null && record.validAt(clock.instant());
        }
    }

    /** Returns the paths of every request so far (both endpoints, and unknown paths), in arrival order. */
    public List<String> paths() {
        synchronized (lock) {
            return List.copyOf(paths);
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
        final AuthorizeAnswer answer = decideAuthorize(query);
        if (answer.redirect == null) throw new IllegalArgumentException(answer.refusal);
        return answer.redirect;
    }

    /** Returns the S256 code challenge of a PKCE code verifier (RFC 7636 §4.2). */
    public static String s256(String verifier) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private AuthorizeAnswer decideAuthorize(Map<String, String> query) {
        synchronized (lock) {
            final Client client = clients.get(query.get("client_id"));
            if (client == null) return AuthorizeAnswer.refuse("unknown client_id");
            final String redirect = query.get("redirect_uri");
            if (redirect == null || !client.redirectUris().contains(redirect)) {
                return AuthorizeAnswer.refuse("redirect_uri is not registered for client " + client.id());
            }
            final String state = query.get("state");
            if (!"code".equals(query.get("response_type"))) {
                return AuthorizeAnswer.redirectError(redirect, "unsupported_response_type", state);
            }
            if (state == null || state.isEmpty()) return AuthorizeAnswer.redirectError(redirect, "invalid_request", null);
            final String challenge = query.get("code_challenge");
            if (challenge == null || !"S256".equals(query.get("code_challenge_method"))
                    || !CHALLENGE.matcher(challenge).matches()) {
                return AuthorizeAnswer.redirectError(redirect, "invalid_request", state);
            }
            final String code = newToken("code_");
            codes.put(code, new Code(client.id(), redirect, challenge, query.get("scope"),
                    clock.instant().plus(codeLifetime)));
            return AuthorizeAnswer.redirect(withParams(redirect, "code", code, "state", state));
        }
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange exchange) {
        try {
            final String path = exchange.getRequestURI().getPath();
            synchronized (lock) {
                paths.add(path);
            }
            if (path.endsWith("/token")) {
                token(exchange, path);
            } else if (path.endsWith("/authorize")) {
                authorizeEndpoint(exchange);
            } else {
                send(exchange, 404, "text/plain", bytes("no such endpoint: " + path), Map.of());
            }
        } catch (IOException e) {
            LOG.debug("a call to the OAuth stand-in ended early: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("the OAuth stand-in failed on {}", exchange.getRequestURI().getPath(), e);
            try {
                send(exchange, 500, "text/plain", bytes("stand-in failure: " + e), Map.of());
            } catch (IOException | RuntimeException ignored) {
                // the answer may have been started already; closing ends it
            }
        } finally {
            exchange.close();
        }
    }

    private void authorizeEndpoint(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "text/plain", bytes("use GET"), Map.of("Allow", "GET"));
            return;
        }
        final Map<String, String> query;
        try {
            query = parseForm(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain", bytes(e.getMessage()), Map.of());
            return;
        }
        final AuthorizeAnswer answer = decideAuthorize(query);
        if (answer.redirect == null) {
            send(exchange, 400, "text/plain", bytes(answer.refusal), Map.of());
        } else {
            send(exchange, 302, "text/plain", new byte[0], Map.of("Location", answer.redirect));
        }
    }

    private void token(HttpExchange exchange, String path) throws IOException {
        final Instant arrived = clock.instant();
        final String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TokenAnswer answer = null;
        Map<String, String> form = Map.of();
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer = TokenAnswer.error(405, "invalid_request", "use POST", null);
        } else if (!contentTypeIsForm(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            answer = TokenAnswer.error(400, "invalid_request", "the body must be " + FORM, null);
        } else {
            try {
                form = parseForm(body);
            } catch (IllegalArgumentException e) {
                answer = TokenAnswer.error(400, "invalid_request", e.getMessage(), null);
            }
        }
        final String grant = form.get("grant_type");
        final String refresh = REFRESH_TOKEN.equals(grant) ? form.get("refresh_token") : null;
        final String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Fault fault = null;
        String family = null;
        if (answer == null) {
            synchronized (lock) {
                final RefreshRecord record = refresh == null ? null : refreshTokens.get(refresh);
                family = record == null ? null : record.family;
                fault = nextFault(family);
            }
        }
        if (fault != null && !fault.delay().isZero()) pause(fault.delay());
        if (answer == null && fault != null && fault.redirects()) {
            synchronized (lock) {
                calls.add(new TokenCall(arrived, path, grant, claimedClient(form, authorization), refresh, family,
                        fault.status(), null));
            }
            send(exchange, fault.status(), "text/plain", new byte[0], Map.of("Location", fault.location()));
            return;
        }
        if (answer == null && fault != null && !fault.answersNormally()) {
            answer = TokenAnswer.error(fault.status(), fault.error(), "injected fault", family);
        }
        final String clientId;
        synchronized (lock) {
            if (answer == null) answer = decideToken(clock.instant(), form, authorization);
            clientId = answer.clientId != null ? answer.clientId : claimedClient(form, authorization);
            final String callFamily = answer.family != null ? answer.family : family;
            calls.add(new TokenCall(arrived, path, grant, clientId, refresh, callFamily, answer.status, answer.error));
            if (refresh != null) callsPerRefreshToken.merge(refresh, 1, Integer::sum);
            final Family f = callFamily == null ? null : families.get(callFamily);
            if (f != null) f.callTimes.add(arrived);
        }
        final Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        if (answer.status == 401) headers.put("WWW-Authenticate", REALM);
        send(exchange, answer.status, "application/json;charset=UTF-8", json(answer.body), headers);
    }

    private Fault nextFault(String family) {
        if (family != null) {
            final Deque<Fault> queue = familyFaults.get(family);
            if (queue != null && !queue.isEmpty()) return queue.pollFirst();
        }
        if (!faults.isEmpty()) return faults.pollFirst();
        return stickyFault;
    }

    private TokenAnswer decideToken(Instant now, Map<String, String> form, String authorization) {
        final Object authenticated = authenticate(form, authorization);
        if (authenticated instanceof TokenAnswer refusal) return refusal;
        final Client client = (Client) authenticated;
        final String grant = form.get("grant_type");
        if (grant == null) return TokenAnswer.error(400, "invalid_request", "grant_type is required", null);
        final TokenAnswer answer = switch (grant) {
            case AUTHORIZATION_CODE -> exchangeCode(now, client, form);
            case REFRESH_TOKEN -> refresh(now, client, form);
            case CLIENT_CREDENTIALS -> TokenAnswer.ok(tokens(now, client, CLIENT_CREDENTIALS, null,
                    form.get("scope"), false), null);
            default -> TokenAnswer.error(400, "unsupported_grant_type", "unsupported grant_type " + grant, null);
        };
        answer.clientId = client.id();
        return answer;
    }

    /** Returns the authenticated client, or the refusal to answer. */
    private Object authenticate(Map<String, String> form, String authorization) {
        final String formId = form.get("client_id");
        final String formSecret = form.get("client_secret");
        String[] basic = null;
        if (authorization != null) {
            basic = parseBasic(authorization);
            if (basic == null) return TokenAnswer.error(401, "invalid_client", "unreadable Authorization header", null);
        }
        if (basic != null && formSecret != null) {
            return TokenAnswer.error(400, "invalid_request", "more than one client authentication method", null);
        }
        if (basic != null && formId != null && !formId.equals(basic[0])) {
            return TokenAnswer.error(400, "invalid_request", "client_id differs from the authenticated client", null);
        }
        final String id = basic != null ? basic[0] : formId;
        final Client client = id == null ? null : clients.get(id);
        if (client == null) return TokenAnswer.error(401, "invalid_client", "unknown client", null);
        final String secret;
        if (client.auth() == ClientAuth.BASIC) {
            if (basic == null) {
                return TokenAnswer.error(401, "invalid_client", "this client authenticates with HTTP Basic", null);
            }
            secret = basic[1];
        } else {
            if (basic != null) {
                return TokenAnswer.error(401, "invalid_client",
                        "this client authenticates with client_secret in the form", null);
            }
            secret = formSecret;
        }
        if (secret == null || !MessageDigest.isEqual(bytes(secret), bytes(client.secret()))) {
            return TokenAnswer.error(401, "invalid_client", "client authentication failed", null);
        }
        return client;
    }

    private TokenAnswer exchangeCode(Instant now, Client client, Map<String, String> form) {
        final String value = form.get("code");
        if (value == null) return TokenAnswer.error(400, "invalid_request", "code is required", null);
        final Code code = codes.get(value);
        if (code == null) return TokenAnswer.error(400, "invalid_grant", "unknown code", null);
        if (code.family != null) {
            revokeFamily(code.family);
            return TokenAnswer.error(400, "invalid_grant", "the code was used already", code.family);
        }
        if (!code.clientId.equals(client.id())) {
            return TokenAnswer.error(400, "invalid_grant", "the code was issued to another client", null);
        }
        if (!now.isBefore(code.expiresAt)) return TokenAnswer.error(400, "invalid_grant", "the code expired", null);
        if (!Objects.equals(form.get("redirect_uri"), code.redirectUri)) {
            return TokenAnswer.error(400, "invalid_grant", "redirect_uri differs from the authorization request", null);
        }
        final String verifier = form.get("code_verifier");
        if (verifier == null) return TokenAnswer.error(400, "invalid_request", "code_verifier is required", null);
        verifiers.add(verifier);
        if (!VERIFIER.matcher(verifier).matches() || !s256(verifier).equals(code.challenge)) {
            return TokenAnswer.error(400, "invalid_grant", "code_verifier does not match the code_challenge", null);
        }
        final Family family = newFamily(client.id(), code.scope);
        code.family = family.id;
        return TokenAnswer.ok(tokens(now, client, AUTHORIZATION_CODE, family, code.scope, true), family.id);
    }

    private TokenAnswer refresh(Instant now, Client client, Map<String, String> form) {
        final String value = form.get("refresh_token");
        if (value == null) return TokenAnswer.error(400, "invalid_request", "refresh_token is required", null);
        final RefreshRecord record = refreshTokens.get(value);
        if (record == null) return TokenAnswer.error(400, "invalid_grant", "unknown refresh token", null);
        final Family family = families.get(record.family);
        if (!family.clientId.equals(client.id())) {
            return TokenAnswer.error(400, "invalid_grant", "the refresh token was issued to another client", family.id);
        }
        switch (record.state) {
            case USED -> {
                reused.add(value);
                revokeFamily(family.id);
                return TokenAnswer.error(400, "invalid_grant", "the refresh token was used already", family.id);
            }
            case REVOKED -> {
                return TokenAnswer.error(400, "invalid_grant", "the refresh token was revoked", family.id);
            }
            default -> {
                final boolean rotate = !omitRefreshToken;
                if (rotate) record.state = RefreshState.USED;
                return TokenAnswer.ok(tokens(now, client, REFRESH_TOKEN, family, family.scope, rotate), family.id);
            }
        }
    }

    private Map<String, Object> tokens(Instant now, Client client, String grant, Family family, String scope,
                                       boolean withRefresh) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", newAccessToken(client.id(), grant, family, now));
        body.put("token_type", "Bearer");
        if (expiresIn != null) body.put("expires_in", expiresIn.toSeconds());
        if (withRefresh) body.put("refresh_token", newRefreshToken(family));
        if (scope != null) body.put("scope", scope);
        return body;
    }

    private Family newFamily(String clientId, String scope) {
        final Family family = new Family("family-" + (++familySequence), clientId, scope);
        families.put(family.id, family);
        return family;
    }

    private String newAccessToken(String clientId, String grant, Family family, Instant now) {
        final String value = newToken("at_");
        final AccessRecord record = new AccessRecord(value, clientId, grant, family == null ? null : family.id, now,
                expiresIn == null ? null : now.plus(expiresIn));
        accessTokens.put(value, record);
        if (family != null) family.accessTokens.add(value);
        return value;
    }

    private String newRefreshToken(Family family) {
        final String value = newToken("rt_");
        refreshTokens.put(value, new RefreshRecord(family.id));
        family.currentRefresh = value;
        return value;
    }

    private void revokeFamily(String familyId) {
        final Family family = families.get(familyId);
        if (family == null) return;
        for (String access : family.accessTokens) accessTokens.get(access).revoked = true;
        if (family.currentRefresh != null) {
            final RefreshRecord current = refreshTokens.get(family.currentRefresh);
            if (current.state == RefreshState.ACTIVE) current.state = RefreshState.REVOKED;
        }
    }

    private String newToken(String prefix) {
        final byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private static String claimedClient(Map<String, String> form, String authorization) {
        if (authorization != null) {
            final String[] basic = parseBasic(authorization);
            if (basic != null) return basic[0];
        }
        return form.get("client_id");
    }

    /** Returns {id, secret} of an HTTP Basic header (each form-urlencoded, RFC 6749 §2.3.1), or null. */
    private static String[] parseBasic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        try {
            final String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            final int colon = decoded.indexOf(':');
            if (colon < 0) return null;
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean contentTypeIsForm(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    /** Parses a form or query string; a repeated parameter is refused (RFC 6749 §3.1, §3.2). */
    private static Map<String, String> parseForm(String raw) {
        final Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return values;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            final int eq = pair.indexOf('=');
            final String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (values.put(name, value) != null) throw new IllegalArgumentException("parameter " + name + " repeated");
        }
        return values;
    }

    private static String withParams(String url, String... nameValues) {
        final StringBuilder out = new StringBuilder(url);
        char separator = url.contains("?") ? '&' : '?';
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] == null) continue;
            out.append(separator).append(nameValues[i]).append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    private byte[] json(Map<String, Object> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a token answer", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body,
                             Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server at once and its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ state

    private record Client(String id, String secret, ClientAuth auth, Set<String> redirectUris) {
    }

    private static final class Code {
        final String clientId;
        final String redirectUri;
        final String challenge;
        final String scope;
        final Instant expiresAt;
        String family;

        Code(String clientId, String redirectUri, String challenge, String scope, Instant expiresAt) {
            this.clientId = clientId;
            this.redirectUri = redirectUri;
            this.challenge = challenge;
            this.scope = scope;
            this.expiresAt = expiresAt;
        }
    }

    private enum RefreshState { ACTIVE, USED, REVOKED }

    private static final class RefreshRecord {
        final String family;
        RefreshState state = RefreshState.ACTIVE;

        RefreshRecord(String family) {
            this.family = family;
        }
    }

    private static final class AccessRecord {
        final String value;
        final String clientId;
        final String grant;
        final String family;
        final Instant issuedAt;
        final Instant expiresAt;
        boolean revoked;

        AccessRecord(String value, String clientId, String grant, String family, Instant issuedAt, Instant expiresAt) {
            this.value = value;
            this.clientId = clientId;
            this.grant = grant;
            this.family = family;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }

        boolean validAt(Instant now) {
            return !revoked && (expiresAt == null || now.isBefore(expiresAt));
        }

        IssuedAccessToken view(Instant now) {
            return new IssuedAccessToken(value, clientId, grant, family, issuedAt, expiresAt, validAt(now));
        }
    }

    private static final class Family {
        final String id;
        final String clientId;
        final String scope;
        final List<Instant> callTimes = new ArrayList<>();
        final Set<String> accessTokens = new LinkedHashSet<>();
        String currentRefresh;

        Family(String id, String clientId, String scope) {
            this.id = id;
            this.clientId = clientId;
            this.scope = scope;
        }
    }

    private static final class AuthorizeAnswer {
        final String redirect;
        final String refusal;

        private AuthorizeAnswer(String redirect, String refusal) {
            this.redirect = redirect;
            this.refusal = refusal;
        }

        static AuthorizeAnswer redirect(String url) {
            return new AuthorizeAnswer(url, null);
        }

        static AuthorizeAnswer redirectError(String redirectUri, String error, String state) {
            return new AuthorizeAnswer(withParams(redirectUri, "error", error, "state", state), null);
        }

        static AuthorizeAnswer refuse(String why) {
            return new AuthorizeAnswer(null, why);
        }
    }

    private static final class TokenAnswer {
        final int status;
        final String error;
        final Map<String, Object> body;
        final String family;
        String clientId;

        private TokenAnswer(int status, String error, Map<String, Object> body, String family) {
            this.status = status;
            this.error = error;
            this.body = body;
            this.family = family;
        }

        static TokenAnswer ok(Map<String, Object> body, String family) {
            return new TokenAnswer(200, null, body, family);
        }

        static TokenAnswer error(int status, String error, String description, String family) {
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("error_description", description);
            return new TokenAnswer(status, error, Collections.unmodifiableMap(body), family);
        }
    }
}
