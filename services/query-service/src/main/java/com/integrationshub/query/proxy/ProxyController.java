package com.integrationshub.query.proxy;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.domain.oauth1.Parameter;
import com.integrationshub.domain.oauth1.ProviderAnswers;
import com.integrationshub.domain.oauth1.RequestToSign;
import com.integrationshub.domain.oauth1.SignatureBaseString;
import com.integrationshub.oauth.client.OutboundGuard;
import com.integrationshub.oauth.client.OutboundRefusedException;
import com.integrationshub.query.credentials.CredentialValues;
import com.integrationshub.query.oauth.OAuth1Flows;
import com.integrationshub.query.oauth.OAuthMaterial;
import com.integrationshub.query.oauth.TokenRefreshes;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.problem.ProblemResponses;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.ByteBodyFactory;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {ANY} /v1/orgs/{org_id}/integrations/{name}/proxy/{path}: the caller's request sent on to the provider with the
 * org's credentials, the provider's answer streamed back (API.md, "Calling the provider through the hub"). Problems
 * of the hub's own carry {@code X-Hub-Proxy: problem}; the provider's answers pass through as they are.
 */
@Hidden
@Controller("/v1/orgs/{org_id}/integrations/{name}/proxy")
@Consumes(MediaType.ALL)
@Produces(MediaType.ALL)
public class ProxyController {

    /** Marks an answer made by the hub, not the provider. */
    public static final String PROBLEM_HEADER = "X-Hub-Proxy";
    /** The most of a 401 body read for its oauth_problem. */
    private static final int OAUTH_PROBLEM_LIMIT = 64 * 1024;

    private final StateReader state;
    private final CredentialValues values;
    private final OAuthMaterial material;
    private final TokenRefreshes refreshes;
    private final SecretBox box;
    private final OutboundGuard guard;
    private final ProxySettings settings;
    private final MeterRegistry registry;
    private final Upstream upstream;
    private final OAuth1Flows oauth1;

    public ProxyController(
            OAuth1Flows oauth1,
            StateReader state,
            CredentialValues values,
            OAuthMaterial material,
            TokenRefreshes refreshes,
            SecretBox box,
            OutboundGuard guard,
            ProxySettings settings,
            MeterRegistry registry) {
        this.state = state;
        this.values = values;
        this.material = material;
        this.refreshes = refreshes;
        this.box = box;
        this.guard = guard;
        this.settings = settings;
        this.registry = registry;
        this.upstream = new Upstream(settings);
        this.oauth1 = oauth1;
    }

    @Get(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> get(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    @Post(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> post(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    @Put(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> put(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    @Patch(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> patch(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    @Delete(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> delete(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    @Options(uris = {"/", "/{+path}"})
    public Publisher<MutableHttpResponse<?>> options(
            HttpRequest<?> request, @PathVariable("org_id") String orgId, @PathVariable String name) {
        return proxy(request, orgId, name);
    }

    private Publisher<MutableHttpResponse<?>> proxy(HttpRequest<?> request, String orgId, String name) {
        return Mono.defer(() -> {
                    WriteRequests.name("org_id", orgId);
                    WriteRequests.name("name", name);
                    return state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name);
                })
                .map(i -> i.orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist")))
                .flatMap(integration -> state.<MappingState>get(
                                StoreNames.MAPPINGS, name, Names.mappingKey(name, orgId))
                        .flatMap(mapping -> credentialHeaders(request, integration, mapping, orgId)
                                .flatMap(headers -> {
                                    var target = ProxyTarget.of(
                                            baseUrl(integration, mapping),
                                            path(request, orgId, name),
                                            request.getUri().getRawQuery());
                                    if (target.uri() == null) {
                                        throw target.badPath()
                                                ? new ProblemException(
                                                        400,
                                                        "invalid-path",
                                                        "Bad Request",
                                                        target.refusal(),
                                                        List.of(),
                                                        Map.of())
                                                : notAllowed(target.refusal());
                                    }
                                    try {
                                        guard.check(target.uri());
                                    } catch (OutboundRefusedException e) {
                                        throw notAllowed("the base URL is not allowed: " + e.getMessage());
                                    }
                                    return send(request, integration, mapping, orgId, target.uri(), headers);
                                })))
                .onErrorResume(ProblemException.class, p -> Mono.just(problem(p)));
    }

    private Mono<MutableHttpResponse<?>> send(
            HttpRequest<?> request,
            IntegrationState integration,
            Optional<MappingState> mapping,
            String orgId,
            URI target,
            Map<String, String> credentials) {
        ByteBody body = ((ServerHttpRequest<?>) request).byteBody();
        OptionalLong length = body.expectedLength();
        boolean empty = length.isPresent() && length.getAsLong() == 0
                || length.isEmpty() && !request.getHeaders().contains("Transfer-Encoding");
        boolean oauth = integration.getAuthScheme() == AuthScheme.OAUTH2;
        Call call = new Call(request, integration, mapping, orgId, target);
        if (integration.getAuthScheme() == AuthScheme.OAUTH1) return call.signed(body, length, empty);
        if (empty) return call.run(credentials, new Upstream.NoBody(), oauth);
        if (length.isPresent() && length.getAsLong() <= settings.maxReplayBytes()) {
            return Mono.fromFuture(body.buffer()).flatMap(available -> {
                byte[] bytes;
                try (available) {
                    bytes = available.toByteArray();
                }
                return call.run(credentials, new Upstream.Held(bytes), oauth);
            });
        }
        return call.run(credentials, new Upstream.Streamed(body.toByteArrayPublisher(), length), false);
    }

    /** One proxied request towards its target. */
    private final class Call {
        private final HttpRequest<?> request;
        private final IntegrationState integration;
        private final Optional<MappingState> mapping;
        private final String orgId;
        private final URI target;

        Call(
                HttpRequest<?> request,
                IntegrationState integration,
                Optional<MappingState> mapping,
                String orgId,
                URI target) {
            this.request = request;
            this.integration = integration;
            this.mapping = mapping;
            this.orgId = orgId;
            this.target = target;
        }

        /**
         * The call signed with OAuth 1.0a (RFC 5849 §3): over the target URL, its query included, and the parameters
         * of a form body (§3.4.1.3.1), which must therefore be held: a form body over hub.proxy.max-replay-bytes is
         * refused (413). On a 401 whose oauth_problem means the token is of no use, the token needs reauthorization.
         */
        Mono<MutableHttpResponse<?>> signed(ByteBody body, OptionalLong length, boolean empty) {
            boolean form = request.getContentType()
                    .map(t -> t.getName().equalsIgnoreCase(MediaType.APPLICATION_FORM_URLENCODED))
                    .orElse(false);
            if (empty || !form) {
                Upstream.Body sent =
                        empty ? new Upstream.NoBody() : new Upstream.Streamed(body.toByteArrayPublisher(), length);
                return sign(List.of()).flatMap(signature -> runSigned(signature, sent));
            }
            if (length.isEmpty() || length.getAsLong() > settings.maxReplayBytes()) {
                return Mono.error(new ProblemException(
                        413,
                        "payload-too-large",
                        "Content Too Large",
                        "an OAuth 1.0a form body is signed with its parameters, so it is held: at most "
                                + settings.maxReplayBytes() + " bytes, with a Content-Length",
                        List.of(),
                        Map.of()));
            }
            return Mono.fromFuture(body.buffer()).flatMap(available -> {
                byte[] bytes;
                try (available) {
                    bytes = available.toByteArray();
                }
                List<Parameter> parameters;
                try {
                    parameters = SignatureBaseString.formParameters(new String(bytes, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.malformed("the form body is not application/x-www-form-urlencoded");
                }
                return sign(parameters).flatMap(signature -> runSigned(signature, new Upstream.Held(bytes)));
            });
        }

        private Mono<OAuth1Flows.Signature> sign(List<Parameter> form) {
            return values.active(request, integration, mapping, orgId)
                    .map(m -> oauth1.sign(
                            m,
                            new RequestToSign(
                                    request.getMethodName().toUpperCase(Locale.ROOT), target.toString(), form)));
        }

        private Mono<MutableHttpResponse<?>> runSigned(OAuth1Flows.Signature signature, Upstream.Body body) {
            return exchange(Map.of("Authorization", signature.authorization()), body)
                    .flatMap(answer -> answer.status() == 401 ? reportRefusal(signature, answer) : Mono.just(answer))
                    .map(answer -> answer(request, answer));
        }

        /**
         * Reads a 401's oauth_problem (OAuth Problem Reporting: the WWW-Authenticate header or a form body of at most
         * 64 KiB) and, when it means the token is of no use, marks it needs_reauth; the answer goes back unchanged.
         */
        private Mono<Upstream.Answer> reportRefusal(OAuth1Flows.Signature signature, Upstream.Answer answer) {
            boolean small = answer.length().isPresent() && answer.length().getAsLong() <= OAUTH_PROBLEM_LIMIT;
            if (!small) {
                // A body of unknown or large size is streamed back unread: only the header can name the problem.
                Optional<String> problem = OAuth1Flows.problem(answer.headers(), "");
                if (problem.isEmpty() || !ProviderAnswers.needsReauthorization(problem.get())) {
                    return Mono.just(answer);
                }
                return oauth1.markRefused(request, signature.token(), problem.get())
                        .thenReturn(answer);
            }
            return answer.body()
                    .collectList()
                    .map(chunks -> {
                        int size =
                                chunks.stream().mapToInt(ByteBuffer::remaining).sum();
                        byte[] all = new byte[Math.min(size, OAUTH_PROBLEM_LIMIT)];
                        int at = 0;
                        for (ByteBuffer chunk : chunks) {
                            ByteBuffer view = chunk.duplicate();
                            int n = Math.min(view.remaining(), all.length - at);
                            view.get(all, at, n);
                            at += n;
                        }
                        return Map.entry(
                                new Upstream.Answer(
                                        answer.status(),
                                        answer.headers(),
                                        answer.length(),
                                        Flux.fromIterable(chunks).map(ByteBuffer::duplicate)),
                                new String(all, StandardCharsets.UTF_8));
                    })
                    .flatMap(read -> {
                        Optional<String> problem = OAuth1Flows.problem(answer.headers(), read.getValue());
                        if (problem.isEmpty() || !ProviderAnswers.needsReauthorization(problem.get())) {
                            return Mono.just(read.getKey());
                        }
                        return oauth1.markRefused(request, signature.token(), problem.get())
                                .thenReturn(read.getKey());
                    });
        }

        /** The call; on a 401 with an OAuth 2.0 token and a body that can be sent again, one refresh and one retry. */
        Mono<MutableHttpResponse<?>> run(Map<String, String> credentials, Upstream.Body body, boolean retryOn401) {
            return exchange(credentials, body)
                    .flatMap(answer -> {
                        if (answer.status() != 401 || !retryOn401) return Mono.just(answer);
                        answer.discard();
                        return refreshed(credentials).flatMap(fresh -> exchange(fresh, body));
                    })
                    .map(answer -> answer(request, answer));
        }

        /**
         * The org's credentials after a refresh of the token the provider refused; when the token found is no longer
         * the one sent (someone refreshed meanwhile), the newer one without another refresh.
         */
        private Mono<Map<String, String>> refreshed(Map<String, String> sent) {
            return material.find(request, integration, mapping, orgId).flatMap(found -> {
                Optional<TokenState> token = found.flatMap(OAuthMaterial.Material::token);
                if (token.isEmpty()) return Mono.just(sent);
                String access = box.open(
                        token.get().getAccessToken(),
                        SecretPlaces.accessToken(token.get().getTokenId()));
                boolean stillSent = sent.values().stream().anyMatch(v -> v.contains(access));
                Mono<?> refresh = stillSent ? refreshes.refreshRejected(request, token.get()) : Mono.just(Boolean.TRUE);
                return refresh.then(credentialHeaders(request, integration, mapping, orgId))
                        .onErrorResume(e -> Mono.just(sent));
            });
        }

        private Mono<Upstream.Answer> exchange(Map<String, String> credentials, Upstream.Body body) {
            List<Map.Entry<String, String>> caller = new ArrayList<>();
            request.getHeaders().forEach((header, list) -> list.forEach(v -> caller.add(Map.entry(header, v))));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (var h : ProxyHeaders.upstream(caller)) {
                if (credentials.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(h.getKey()))) headers.add(h);
            }
            headers.addAll(credentials.entrySet());
            String name = integration.getName();
            long started = System.nanoTime();
            return Mono.fromFuture(() ->
                            upstream.send(target, request.getMethodName().toUpperCase(Locale.ROOT), headers, body))
                    .doOnNext(answer -> record(name, (answer.status() / 100) + "xx", started))
                    .onErrorMap(e -> e instanceof CompletionException && e.getCause() != null ? e.getCause() : e)
                    .onErrorMap(e -> !(e instanceof ProblemException), e -> {
                        record(name, "error", started);
                        if (causedBy(e, ContentLengthExceededException.class)) {
                            // The caller's upload passed micronaut.server.max-request-size while it streamed: the
                            // provider got a cut request (its framing says so), the caller the server's 413.
                            return new ProblemException(
                                    413,
                                    "payload-too-large",
                                    "Content Too Large",
                                    "the body is over the server's limit",
                                    List.of(),
                                    Map.of());
                        }
                        if (e instanceof HttpTimeoutException) {
                            return new ProblemException(
                                    504,
                                    "upstream-timeout",
                                    "Gateway Timeout",
                                    "the provider did not answer in time",
                                    List.of(),
                                    Map.of());
                        }
                        return new ProblemException(
                                502,
                                "upstream-unreachable",
                                "Bad Gateway",
                                "the provider could not be reached",
                                List.of(),
                                Map.of());
                    });
        }
    }

    /**
     * The provider's answer as a raw byte body (a Publisher body would be framed as a JSON array under a JSON media
     * type); its length, when the provider gave one, is the body's own so Content-Length is not copied twice.
     */
    private static MutableHttpResponse<?> answer(HttpRequest<?> request, Upstream.Answer answer) {
        MutableHttpResponse<Object> out = HttpResponse.status(HttpStatus.valueOf(answer.status()));
        for (var h : ProxyHeaders.back(answer.headers())) {
            if (!h.getKey().equalsIgnoreCase("content-length")) out.getHeaders().add(h.getKey(), h.getValue());
        }
        ByteBodyFactory factory = ((ServerHttpRequest<?>) request).byteBodyFactory();
        var buffers = factory.readBufferFactory();
        return out.body(factory.adapt(answer.body().map(buffers::copyOf), answer.length()));
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    private void record(String integration, String statusClass, long startedNanos) {
        Timer.builder("hub.proxy.upstream")
                .description("Calls the proxy made to providers, by integration and status class (error: no answer)")
                .tag("integration", integration)
                .tag("status_class", statusClass)
                .register(registry)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** The headers carrying the org's credentials; fails 409 without credentials (before any upstream call). */
    private Mono<Map<String, String>> credentialHeaders(
            HttpRequest<?> request, IntegrationState integration, Optional<MappingState> mapping, String orgId) {
        AuthScheme scheme = integration.getAuthScheme();
        if (scheme == AuthScheme.OAUTH1) {
            // Signed per request once the target and body are known (send); here only the 409 before any call.
            return values.active(request, integration, mapping, orgId).thenReturn(Map.of());
        }
        if (scheme == AuthScheme.NO_AUTH && integration.getCredentialHeaders().isEmpty()) {
            return Mono.just(Map.of());
        }
        return values.of(request, integration, mapping, orgId).map(found -> {
            if (!integration.getCredentialHeaders().isEmpty()) return values.headers(integration, mapping, found);
            return switch (scheme) {
                case OAUTH2 -> Map.of("Authorization", "Bearer " + found.get("access_token"));
                case BEARER_TOKEN -> Map.of("Authorization", "Bearer " + found.get("token"));
                case BASIC ->
                    Map.of(
                            "Authorization",
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString((found.get("username") + ":" + found.get("password"))
                                                    .getBytes(StandardCharsets.UTF_8)));
                case API_KEY -> throw notAllowed("the integration has no credential_headers to send its API key with");
                default -> Map.<String, String>of();
            };
        });
    }

    private String baseUrl(IntegrationState integration, Optional<MappingState> mapping) {
        String key = integration.getProxyBaseUrlKey();
        Map<String, Object> merged = MergedConfig.merge(
                integration.getDefaults(), mapping.map(MappingState::getConfig).orElse(Map.of()));
        Object value = merged.get(key);
        if (value == null) throw notAllowed("the org's config has no '" + key + "' (the provider's base URL)");
        if (value instanceof SealedSecret sealed) {
            boolean own = mapping.isPresent() && mapping.get().getConfig().containsKey(key);
            return box.open(
                    sealed,
                    own
                            ? SecretPlaces.mappingOverride(
                                    integration.getName(), mapping.get().getOrgId(), key)
                            : SecretPlaces.integrationDefault(integration.getName(), key));
        }
        return String.valueOf(value);
    }

    /** The raw path after .../proxy/, as the caller sent it. */
    private static String path(HttpRequest<?> request, String orgId, String name) {
        String raw = request.getUri().getRawPath();
        int at = raw.indexOf("/proxy");
        String rest = at < 0 ? "" : raw.substring(at + "/proxy".length());
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    private static ProblemException notAllowed(String detail) {
        return new ProblemException(422, "base-url-not-allowed", "Unprocessable Content", detail, List.of(), Map.of());
    }

    private static MutableHttpResponse<?> problem(ProblemException p) {
        return ProblemResponses.of(p).header(PROBLEM_HEADER, "problem");
    }
}
