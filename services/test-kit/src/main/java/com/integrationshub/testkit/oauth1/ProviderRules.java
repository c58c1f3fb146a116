package com.integrationshub.testkit.oauth1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The provider's rules (RFC 5849 §2 and §3.2): who is registered, which temporary and access tokens exist, which
 * nonces were seen; each endpoint's answer to a request. Not thread-safe: the stand-in calls it under its lock.
 */
final class ProviderRules {

    /** A request as it arrived: method, the absolute URL it was received at, body content type, body, header. */
    record Incoming(String method, URI uri, String contentType, String body, String authorization) {}

    /** What to answer. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {

        static Reply form(Map<String, String> pairs) {
            return new Reply(200, "application/x-www-form-urlencoded", WireText.formText(pairs), Map.of());
        }

        static Reply refused(Verdict verdict) {
            return new Reply(
                    verdict.status(),
                    "application/x-www-form-urlencoded",
                    "oauth_problem=" + verdict.problem(),
                    verdict.status() == 401 ? Map.of("WWW-Authenticate", "OAuth realm=\"stand-in\"") : Map.of());
        }

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain", text, Map.of());
        }
    }

    /** A signed request that verified: its protocol parameters and the token record it used (else null). */
    private record Verified(Map<String, String> oauth, Consumer consumer) {}

    private static final class Temporary {
        final String consumerKey;
        final String secret;
        final String callback;
        final Instant issuedAt;
        String verifier;
        boolean used;

        Temporary(String consumerKey, String secret, String callback, Instant issuedAt) {
            this.consumerKey = consumerKey;
            this.secret = secret;
            this.callback = callback;
            this.issuedAt = issuedAt;
        }
    }

    private static final class Access {
        final IssuedToken issued;
        String problem;

        Access(IssuedToken issued) {
            this.issued = issued;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> REQUIRED =
            Set.of("oauth_consumer_key", "oauth_signature_method", "oauth_signature");

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Consumer> consumers = new HashMap<>();
    private final Map<String, Temporary> temporary = new HashMap<>();
    private final Map<String, Access> access = new LinkedHashMap<>();
    private final Set<String> nonces = new HashSet<>();
    private final List<String> secretsIssued = new ArrayList<>();
    private final List<SignedCall> calls = new ArrayList<>();
    private final List<ResourceCall> resourceCalls = new ArrayList<>();
    private Duration timestampWindow = Duration.ofMinutes(5);
    private Duration temporaryLifetime = Duration.ofMinutes(10);

    ProviderRules(Clock clock) {
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------ set-up

    void register(Consumer consumer) {
        consumers.put(consumer.key(), consumer);
    }

    void setTimestampWindow(Duration window) {
        timestampWindow = window;
    }

    void setTemporaryLifetime(Duration lifetime) {
        temporaryLifetime = lifetime;
    }

    IssuedToken mint(String consumerKey) {
        if (!consumers.containsKey(consumerKey)) throw new IllegalArgumentException("unknown consumer " + consumerKey);
        final IssuedToken issued = new IssuedToken(newToken("at"), newSecret(), consumerKey);
        access.put(issued.token(), new Access(issued));
        return issued;
    }

    void issue(IssuedToken issued) {
        if (!consumers.containsKey(issued.consumerKey()))
            throw new IllegalArgumentException("unknown consumer " + issued.consumerKey());
        access.put(issued.token(), new Access(issued));
    }

    void reject(String accessToken, String problem) {
        final Access a = access.get(accessToken);
        if (a == null) throw new IllegalArgumentException("the stand-in did not issue that access token");
        a.problem = problem;
    }

    // ------------------------------------------------------------------------------------------ inspection

    List<SignedCall> calls() {
        return List.copyOf(calls);
    }

    List<ResourceCall> resourceCalls() {
        return List.copyOf(resourceCalls);
    }

    List<IssuedToken> accessTokens() {
        return access.values().stream().map(a -> a.issued).toList();
    }

    List<String> secretsIssued() {
        return List.copyOf(secretsIssued);
    }

    // ------------------------------------------------------------------------------------------ endpoints

    /** §2.1: a POST signed with the client secret alone, naming oauth_callback; answers temporary credentials. */
    Reply requestToken(Incoming in) {
        if (!in.method().equals("POST")) return Reply.text(405, "temporary credentials are requested with POST");
        final Object outcome = verify("request_token", in, TokenKind.NONE);
        if (outcome instanceof Verdict refused) return Reply.refused(refused);
        final Verified v = (Verified) outcome;
        final String callback = v.oauth().get("oauth_callback");
        if (callback == null) return refuse("request_token", in, v, new Verdict(400, "parameter_absent"));
        if (!callback.equals("oob") && !absolute(callback))
            return refuse("request_token", in, v, new Verdict(400, "parameter_rejected"));
        final String token = newToken("rt");
        final String secret = newSecret();
        temporary.put(token, new Temporary(v.consumer().key(), secret, callback, clock.instant()));
        final Map<String, String> answer = new LinkedHashMap<>();
        answer.put("oauth_token", token);
        answer.put("oauth_token_secret", secret);
        answer.put("oauth_callback_confirmed", "true");
        return Reply.form(answer);
    }

    /** §2.2: the person consents at once: the callback with oauth_token and a new oauth_verifier. */
    Reply authorize(Incoming in) {
        final String token = first(WireText.form(in.uri().getRawQuery()), "oauth_token");
        final Temporary t = token == null ? null : temporary.get(token);
        if (t == null || t.used || expired(t)) return Reply.text(400, "unknown, used or expired oauth_token");
        t.verifier = newToken("v");
        if (t.callback.equals("oob")) return Reply.text(200, t.verifier);
        final String location = t.callback + (t.callback.contains("?") ? "&" : "?") + "oauth_token="
                + WireText.encode(token) + "&oauth_verifier=" + WireText.encode(t.verifier);
        return new Reply(302, "text/plain", "", Map.of("Location", location));
    }

    /** §2.3: a POST signed with the temporary token's secret, with its verifier; each temporary token once. */
    Reply accessToken(Incoming in) {
        if (!in.method().equals("POST")) return Reply.text(405, "token credentials are requested with POST");
        final Object outcome = verify("access_token", in, TokenKind.TEMPORARY);
        if (outcome instanceof Verdict refused) return Reply.refused(refused);
        final Verified v = (Verified) outcome;
        final Temporary t = temporary.get(v.oauth().get("oauth_token"));
        final String verifier = v.oauth().get("oauth_verifier");
        if (verifier == null) return refuse("access_token", in, v, new Verdict(400, "parameter_absent"));
        if (t.verifier == null || !t.verifier.equals(verifier))
            return refuse("access_token", in, v, new Verdict(401, "verifier_invalid"));
        t.used = true;
        final IssuedToken issued = new IssuedToken(newToken("at"), newSecret(), t.consumerKey);
        access.put(issued.token(), new Access(issued));
        final Map<String, String> answer = new LinkedHashMap<>();
        answer.put("oauth_token", issued.token());
        answer.put("oauth_token_secret", issued.secret());
        return Reply.form(answer);
    }

    /** §3.2: any method on the API, signed with an access token's secret; echoes what it verified as JSON. */
    Reply resource(Incoming in) {
        final Object outcome = verify("resource", in, TokenKind.ACCESS);
        if (outcome instanceof Verdict refused) return Reply.refused(refused);
        final ResourceCall call = new ResourceCall(
                in.method(),
                in.uri().getRawPath(),
                grouped(WireText.form(in.uri().getRawQuery())),
                grouped(formBody(in)),
                ((Verified) outcome).oauth().get("oauth_token"));
        resourceCalls.add(call);
        final Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", call.method());
        echo.put("path", call.path());
        echo.put("query", call.query());
        echo.put("form", call.form());
        echo.put("oauth_token", call.token());
        try {
            return new Reply(200, "application/json", JSON.writeValueAsString(echo), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resource endpoint's check of a request as if received at its URL, without answering it. */
    Verdict check(Incoming in) {
        final Object outcome = verify("check", in, TokenKind.ACCESS);
        return outcome instanceof Verdict refused ? refused : Verdict.OK;
    }

    // ------------------------------------------------------------------------------------------ verification

    private enum TokenKind {
        NONE,
        TEMPORARY,
        ACCESS
    }

    /** Returns a {@link Verified} request, or the {@link Verdict} refusing it (already recorded). */
    private Object verify(String endpoint, Incoming in, TokenKind kind) {
        final Map<String, String> oauth;
        try {
            oauth = WireText.authorization(in.authorization());
        } catch (IllegalArgumentException e) {
            return record(endpoint, in, Map.of(), new Verdict(400, "parameter_rejected"));
        }
        if (oauth == null) return record(endpoint, in, Map.of(), new Verdict(400, "parameter_absent"));
        for (String name : REQUIRED) {
            if (!oauth.containsKey(name)) return record(endpoint, in, oauth, new Verdict(400, "parameter_absent"));
        }
        final String method = oauth.get("oauth_signature_method");
        final boolean plaintext = method.equals("PLAINTEXT");
        if (!plaintext && (!oauth.containsKey("oauth_timestamp") || !oauth.containsKey("oauth_nonce")))
            return record(endpoint, in, oauth, new Verdict(400, "parameter_absent"));
        if (oauth.containsKey("oauth_version") && !oauth.get("oauth_version").equals("1.0"))
            return record(endpoint, in, oauth, new Verdict(400, "version_rejected"));
        final Consumer consumer = consumers.get(oauth.get("oauth_consumer_key"));
        if (consumer == null) return record(endpoint, in, oauth, new Verdict(401, "consumer_key_unknown"));
        if (!consumer.method().equals(method))
            return record(endpoint, in, oauth, new Verdict(400, "signature_method_rejected"));
        if (plaintext && !in.uri().getScheme().equalsIgnoreCase("https"))
            return record(endpoint, in, oauth, new Verdict(400, "signature_method_rejected"));
        if (oauth.containsKey("oauth_timestamp")) {
            final long timestamp;
            try {
                timestamp = Long.parseLong(oauth.get("oauth_timestamp"));
            } catch (NumberFormatException e) {
                return record(endpoint, in, oauth, new Verdict(400, "parameter_rejected"));
            }
            final long now = clock.instant().getEpochSecond();
            if (Math.abs(now - timestamp) > timestampWindow.toSeconds())
                return record(endpoint, in, oauth, new Verdict(401, "timestamp_refused"));
        }
        final String token = oauth.get("oauth_token");
        final String tokenSecret;
        switch (kind) {
            case NONE -> tokenSecret = "";
            case TEMPORARY -> {
                final Temporary t = token == null ? null : temporary.get(token);
                if (t == null || !t.consumerKey.equals(consumer.key()))
                    return record(endpoint, in, oauth, new Verdict(401, "token_rejected"));
                if (t.used) return record(endpoint, in, oauth, new Verdict(401, "token_used"));
                if (expired(t)) return record(endpoint, in, oauth, new Verdict(401, "token_expired"));
                tokenSecret = t.secret;
            }
            default -> {
                final Access a = token == null ? null : access.get(token);
                if (a == null || !a.issued.consumerKey().equals(consumer.key()))
                    return record(endpoint, in, oauth, new Verdict(401, "token_rejected"));
                if (a.problem != null) return record(endpoint, in, oauth, new Verdict(401, a.problem));
                tokenSecret = a.issued.secret();
            }
        }
        final String base;
        try {
            base = SignatureCheck.baseString(in.method(), in.uri(), formBody(in), oauth);
        } catch (IllegalArgumentException e) {
            return record(endpoint, in, oauth, new Verdict(400, "parameter_rejected"));
        }
        if (!SignatureCheck.verifies(method, base, oauth.get("oauth_signature"), consumer, tokenSecret))
            return record(endpoint, in, oauth, new Verdict(401, "signature_invalid"));
        if (oauth.containsKey("oauth_nonce")) {
            final String seen = consumer.key() + "\n" + token + "\n" + oauth.get("oauth_timestamp") + "\n"
                    + oauth.get("oauth_nonce");
            if (!nonces.add(seen)) return record(endpoint, in, oauth, new Verdict(401, "nonce_used"));
        }
        record(endpoint, in, oauth, Verdict.OK);
        return new Verified(oauth, consumer);
    }

    private Verdict record(String endpoint, Incoming in, Map<String, String> oauth, Verdict verdict) {
        calls.add(new SignedCall(
                endpoint,
                in.method(),
                in.uri().getRawPath(),
                oauth.get("oauth_consumer_key"),
                oauth.get("oauth_token"),
                oauth.get("oauth_signature_method"),
                verdict.problem()));
        return verdict;
    }

    /** Refuses a request that verified but breaks an endpoint's own rule; the call recorded as accepted is amended. */
    private Reply refuse(String endpoint, Incoming in, Verified v, Verdict verdict) {
        calls.remove(calls.size() - 1);
        record(endpoint, in, v.oauth(), verdict);
        return Reply.refused(verdict);
    }

    private static List<Map.Entry<String, String>> formBody(Incoming in) {
        final String type = in.contentType() == null ? "" : in.contentType().toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") ? WireText.form(in.body()) : List.of();
    }

    private static Map<String, List<String>> grouped(List<Map.Entry<String, String>> pairs) {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : pairs)
            out.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
        return out;
    }

    private static String first(List<Map.Entry<String, String>> pairs, String name) {
        return pairs.stream()
                .filter(p -> p.getKey().equals(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private boolean expired(Temporary t) {
        return !clock.instant().isBefore(t.issuedAt.plus(temporaryLifetime));
    }

    private static boolean absolute(String url) {
        try {
            final URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private String newToken(String prefix) {
        final byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }

    private String newSecret() {
        final byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        // standard base64 ends with '+/=': characters §3.6 must encode in the key, so a signer forgetting that fails
        final String secret = Base64.getEncoder().encodeToString(bytes) + "+/=";
        secretsIssued.add(secret);
        return secret;
    }
}
