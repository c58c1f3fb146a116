package com.integrationshub.testkit.oauth1;

import com.integrationshub.testkit.oauth1.ProviderRules.Incoming;
import com.integrationshub.testkit.oauth1.ProviderRules.Reply;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A small OAuth 1.0a (RFC 5849) provider for tests, on 127.0.0.1 with a free port. Its signature check is its own
 * code ({@link SignatureCheck}, {@link WireText}), not the hub's signer, so the two verify each other.
 *
 * <ul>
 *   <li>{@link #requestTokenUrl()} ({@code POST /oauth/request_token}, §2.1): signed with the consumer secret and an
 *       empty token secret, with {@code oauth_callback} (an absolute URL or {@code oob}); answers
 *       {@code oauth_token}, {@code oauth_token_secret}, {@code oauth_callback_confirmed=true}, form-encoded.
 *   <li>{@link #authorizationUrl()} ({@code GET /oauth/authorize?oauth_token=...}, §2.2): the person consents at
 *       once; 302 to the callback with {@code oauth_token} and {@code oauth_verifier} ({@link #authorize} does the
 *       same without HTTP).
 *   <li>{@link #accessTokenUrl()} ({@code POST /oauth/access_token}, §2.3): signed with the temporary token's
 *       secret, with its verifier; each temporary token is exchanged once (again: 401 {@code token_used}) and
 *       within its lifetime ({@link #setTemporaryTokenLifetime}, default ten minutes).
 *   <li>{@link #resourceUrl(String)} (any method on {@code /api/...}, §3.2): a signed call with an access token;
 *       query and {@code application/x-www-form-urlencoded} body parameters are signed parameters. Answers a JSON
 *       echo ({@code method}, {@code path}, {@code query}, {@code form}, {@code oauth_token}) and records a
 *       {@link ResourceCall}. A token {@link #revoke revoked} answers 401 {@code oauth_problem=token_rejected}.
 * </ul>
 *
 * Every signed call checks: the {@code Authorization: OAuth} header (parameters there only), the consumer and
 * its registered method, {@code oauth_version} 1.0 if sent, the timestamp within {@link #setTimestampWindow} of the
 * clock (default five minutes), the signature, and that the nonce was not used before with that consumer, token and
 * timestamp. PLAINTEXT is accepted only at an https URL, so over this http server only through {@link #check}.
 * Refusals answer 400 or 401 with {@code oauth_problem=...} (the OAuth Problem Reporting names); every signed call
 * is recorded ({@link #calls()}). One lock guards all state.
 */
public final class OAuth1ProviderStandIn implements AutoCloseable {

    private static final Set<String> SHARED_SECRET_METHODS = Set.of("HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT");

    private final Object lock = new Object();
    private final ProviderRules rules;
    private final ProviderServer server;

    private OAuth1ProviderStandIn(Clock clock) {
        this.rules = new ProviderRules(clock);
        this.server = ProviderServer.start(this::answer);
    }

    /** Starts a stand-in on 127.0.0.1 with a free port. */
    public static OAuth1ProviderStandIn start() {
        return start(Clock.systemUTC());
    }

    /** Starts a stand-in on 127.0.0.1 with a free port, reading time (timestamps, token lifetimes) from clock. */
    public static OAuth1ProviderStandIn start(Clock clock) {
        return new OAuth1ProviderStandIn(Objects.requireNonNull(clock, "clock"));
    }

    private Reply answer(Incoming in) {
        final String path = in.uri().getPath();
        synchronized (lock) {
            if (path.equals("/oauth/request_token")) return rules.requestToken(in);
            if (path.equals("/oauth/authorize")) return rules.authorize(in);
            if (path.equals("/oauth/access_token")) return rules.accessToken(in);
            if (path.startsWith("/api/")) return rules.resource(in);
        }
        return Reply.text(404, "no such endpoint: " + path);
    }

    // ------------------------------------------------------------------------------------------ addresses

    /** Returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Returns the temporary credentials endpoint's URL. */
    public String requestTokenUrl() {
        return baseUrl() + "/oauth/request_token";
    }

    /** Returns the resource owner authorization endpoint's URL. */
    public String authorizationUrl() {
        return baseUrl() + "/oauth/authorize";
    }

    /** Returns the token credentials endpoint's URL. */
    public String accessTokenUrl() {
        return baseUrl() + "/oauth/access_token";
    }

    /** Returns the URL of a protected resource, e.g. {@code resourceUrl("1/statuses?x=1")} → {@code /api/1/statuses?x=1}. */
    public String resourceUrl(String pathAndQuery) {
        return baseUrl() + "/api/" + (pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
    }

    // ------------------------------------------------------------------------------------------ set-up

    /** Registers (or replaces) a consumer with a shared secret for HMAC-SHA1, HMAC-SHA256 or PLAINTEXT. */
    public void registerConsumer(String consumerKey, String consumerSecret, String signatureMethod) {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(consumerSecret, "consumerSecret");
        if (!SHARED_SECRET_METHODS.contains(signatureMethod))
            throw new IllegalArgumentException("not a shared-secret method: " + signatureMethod);
        synchronized (lock) {
            rules.register(new Consumer(consumerKey, signatureMethod, consumerSecret, null));
        }
    }

    /** Registers (or replaces) an RSA-SHA1 consumer by its public key (e.g. {@link TestRsaKey#publicKey()}). */
    public void registerRsaConsumer(String consumerKey, PublicKey publicKey) {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(publicKey, "publicKey");
        synchronized (lock) {
            rules.register(new Consumer(consumerKey, "RSA-SHA1", null, publicKey));
        }
    }

    /** Returns new token credentials for a registered consumer, as if it had just completed the flow. */
    public IssuedToken mintAccessToken(String consumerKey) {
        synchronized (lock) {
            return rules.mint(consumerKey);
        }
    }

    /** Makes given token credentials valid for a registered consumer, e.g. a published example's. */
    public void issueAccessToken(String consumerKey, String token, String secret) {
        synchronized (lock) {
            rules.issue(new IssuedToken(
                    Objects.requireNonNull(token, "token"), Objects.requireNonNull(secret, "secret"), consumerKey));
        }
    }

    /** Revokes an access token: the resource endpoint answers it 401 {@code oauth_problem=token_rejected}. */
    public void revoke(String accessToken) {
        rejectToken(accessToken, "token_rejected");
    }

    /** Makes the resource endpoint answer an access token 401 with this {@code oauth_problem}; null accepts it again. */
    public void rejectToken(String accessToken, String oauthProblem) {
        synchronized (lock) {
            rules.reject(accessToken, oauthProblem);
        }
    }

    /** How far a request's oauth_timestamp may be from the stand-in's clock (default five minutes). */
    public void setTimestampWindow(Duration window) {
        synchronized (lock) {
            rules.setTimestampWindow(Objects.requireNonNull(window, "window"));
        }
    }

    /** How long a temporary token can be authorized and exchanged (default ten minutes). */
    public void setTemporaryTokenLifetime(Duration lifetime) {
        synchronized (lock) {
            rules.setTemporaryLifetime(Objects.requireNonNull(lifetime, "lifetime"));
        }
    }

    // ------------------------------------------------------------------------------------------ authorize

    /**
     * Visits an authorize URL (the stand-in's, with {@code oauth_token}) as a browser would, the person consenting
     * at once; returns the callback URL with {@code oauth_token} and {@code oauth_verifier} (for callback
     * {@code oob}: the verifier alone).
     *
     * @throws IllegalArgumentException when the temporary token is unknown, used or expired
     */
    public String authorize(String authorizeUrl) {
        final Reply reply;
        synchronized (lock) {
            reply = rules.authorize(new Incoming("GET", URI.create(authorizeUrl), null, "", null));
        }
        if (reply.status() == 302) return reply.headers().get("Location");
        if (reply.status() == 200) return reply.body();
        throw new IllegalArgumentException(reply.body());
    }

    // ------------------------------------------------------------------------------------------ inspection

    /**
     * Checks a signed request as the resource endpoint would if it were received at {@code url} (any scheme and
     * host: an https URL lets a test check PLAINTEXT), {@code formBody} its form-encoded body or null; the nonce
     * counts as used when it verifies. Recorded as endpoint {@code check}.
     */
    public Verdict check(String method, String url, String authorization, String formBody) {
        final Incoming in = new Incoming(
                method,
                URI.create(url),
                formBody == null ? null : "application/x-www-form-urlencoded",
                formBody == null ? "" : formBody,
                authorization);
        synchronized (lock) {
            return rules.check(in);
        }
    }

    /** Returns every signed call so far (all endpoints and {@link #check}), in arrival order. */
    public List<SignedCall> calls() {
        synchronized (lock) {
            return rules.calls();
        }
    }

    /** Returns the protected resource calls that verified, in arrival order. */
    public List<ResourceCall> resourceCalls() {
        synchronized (lock) {
            return rules.resourceCalls();
        }
    }

    /** Returns every access token issued (by the flow or {@link #mintAccessToken}), in order. */
    public List<IssuedToken> accessTokens() {
        synchronized (lock) {
            return rules.accessTokens();
        }
    }

    /**
     * Returns every token secret the stand-in issued (temporary and access), so a test can look for them where
     * they must not be (topics, logs).
     */
    public List<String> secretsIssued() {
        synchronized (lock) {
            return rules.secretsIssued();
        }
    }

    /** Stops the server at once and its threads. */
    @Override
    public void close() {
        server.close();
    }
}
