package com.integrationshub.query.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.oauth.client.OutboundGuard;
import com.integrationshub.query.bundle.ImportPlan.Write;
import com.integrationshub.query.bundle.ImportPlanner.Current;
import com.integrationshub.query.bundle.ImportPlanner.Existing;
import com.integrationshub.query.integration.IntegrationController;
import com.integrationshub.query.mapping.MappingController;
import com.integrationshub.query.oauth.OAuthConnectionController;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.security.Caller;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Imports a bundle: reads the current state of every name it mentions, plans ({@link ImportPlanner}), checks every
 * write as the API would, then — unless a dry run — sends the writes one by one through the API's own controllers,
 * so every rule, validation, command and event is the API's.
 *
 * <p>The check pass relies on how the controllers are written: a write method checks its body when called and
 * returns a cold publisher that sends the command only when subscribed. The check pass calls each write and drops
 * the publisher unsubscribed (a bad body fails the call with its 422); the apply pass calls again and subscribes.
 * Checks that need the stored state (a schema change stored values break, a stale version) are the deciders', at
 * apply time: a write refused then stops the import, with the writes before it applied and the problem naming the
 * item; importing the bundle again resumes (what was applied is `unchanged`).
 */
@Singleton
public class BundleImport {

    private static final Logger LOG = LoggerFactory.getLogger(BundleImport.class);
    private static final int LOOKUPS_IN_FLIGHT = 16;

    private final StateReader state;
    private final SecretBox box;
    private final OutboundGuard guard;
    private final IntegrationController integrations;
    private final MappingController mappings;
    private final OAuthConnectionController connections;
    private final ImportSettings settings;

    public BundleImport(
            StateReader state,
            SecretBox box,
            OutboundGuard guard,
            IntegrationController integrations,
            MappingController mappings,
            OAuthConnectionController connections,
            ImportSettings settings) {
        this.state = state;
        this.box = box;
        this.guard = guard;
        this.integrations = integrations;
        this.mappings = mappings;
        this.connections = connections;
        this.settings = settings;
    }

    /** The plan as JSON (`{"plan": [...], "applied": ...}`), applied unless `dryRun`; fails with the problem. */
    public Mono<ObjectNode> run(HttpRequest<?> request, String body, boolean dryRun) {
        Bundle bundle = Bundle.read(body, settings.maxBytes(), settings.maxItems());
        return snapshot(ImportPlanner.names(bundle))
                .flatMap(snapshot -> Mono.fromCallable(() -> {
                            ImportPlan plan = ImportPlanner.plan(bundle, snapshot.current(box));
                            check(request, plan);
                            return plan;
                        })
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(plan -> {
                            if (dryRun || !plan.changes()) return Mono.just(plan.toJson(!dryRun));
                            return apply(request, plan, snapshot).thenReturn(plan.toJson(true));
                        }));
    }

    /** Every write as the API would check it, and the outbound guard on provider URLs; one 422 for all. */
    private void check(HttpRequest<?> request, ImportPlan plan) {
        // The planner's errors and the API's together, so one answer names every bad field of the bundle.
        List<FieldError> errors = new ArrayList<>();
        for (Write w : plan.writes()) {
            try {
                send(request, w, w.body(), null); // cold: checked, not sent
            } catch (ProblemException e) {
                errors.addAll(prefixed(w, e));
            }
            if (w.kind().equals(BundleKinds.CONNECTION)) {
                for (String field : List.of("authorization_url", "token_url")) {
                    JsonNode url = w.body().get(field);
                    if (url != null && url.isTextual())
                        guard.problem(url.asText())
                                .ifPresent(why -> errors.add(new FieldError(w.item() + "." + field, why)));
                }
            }
        }
        plan.throwIfInvalid(errors);
    }

    private Mono<Void> apply(HttpRequest<?> request, ImportPlan plan, Snapshot snapshot) {
        // The version each resource is at after this import's last write to it: a second write expects it.
        Map<String, Long> versions = new ConcurrentHashMap<>();
        return Flux.fromIterable(plan.writes())
                .concatMap(w -> {
                    String resource = w.kind() + ":" + w.name();
                    return Mono.defer(() -> {
                                // Read when this write starts, after the one before it answered.
                                Long ifMatch =
                                        w.expectedVersion() != null ? w.expectedVersion() : versions.get(resource);
                                return Mono.from(send(request, w, withKeptValues(w, snapshot), ifMatch));
                            })
                            .doOnNext(response -> version(response).ifPresent(v -> versions.put(resource, v)))
                            .onErrorMap(ProblemException.class, e -> refused(w, e));
                })
                .doOnComplete(() -> LOG.info(
                        "import by {} applied {} writes",
                        WriteRequests.issuedBy(request),
                        plan.writes().size()))
                .then();
    }

    /** The write's body with what the bundle leaves out and the resource keeps: its secrets, its token link. */
    private ObjectNode withKeptValues(Write w, Snapshot snapshot) {
        ObjectNode body = w.body().deepCopy();
        switch (w.action()) {
            case SET_DEFAULTS -> {
                IntegrationState s = snapshot.integrations().get(w.name());
                if (s == null || w.keepSecrets().isEmpty()) break;
                ObjectNode config = configOf(body);
                for (String key : w.keepSecrets()) {
                    if (s.getDefaults().get(key) instanceof SealedSecret sealed)
                        config.put(key, box.open(sealed, SecretPlaces.integrationDefault(w.name(), key)));
                }
            }
            case UPSERT_MAPPING -> {
                MappingState m = snapshot.mappings().get(w.name());
                if (m == null) break;
                body.put("oauth_token_id", m.getOauthTokenId());
                if (w.keepSecrets().isEmpty()) break;
                ObjectNode config = configOf(body);
                for (String key : w.keepSecrets()) {
                    if (m.getConfig().get(key) instanceof SealedSecret sealed)
                        config.put(key, box.open(sealed, SecretPlaces.mappingOverride(w.resource(), w.orgId(), key)));
                }
            }
            default -> {}
        }
        return body;
    }

    /** The body's `config` object, made when it has none (a mapping may leave it out or send null). */
    private static ObjectNode configOf(ObjectNode body) {
        return body.get("config") instanceof ObjectNode config ? config : body.putObject("config");
    }

    /** Calls the API's controller for the write, as a request of the importing caller. */
    private Publisher<MutableHttpResponse<?>> send(HttpRequest<?> original, Write w, ObjectNode body, Long ifMatch) {
        String text = body.toString();
        String name = w.resource();
        return switch (w.action()) {
            case CREATE_CONNECTION ->
                connections.create(like(original, HttpMethod.POST, "/v1/oauth/connections", text, ifMatch), text);
            case UPDATE_CONNECTION ->
                connections.update(
                        like(original, HttpMethod.PATCH, "/v1/oauth/connections/" + name, text, ifMatch), name, text);
            case CREATE_INTEGRATION ->
                integrations.create(like(original, HttpMethod.POST, "/v1/integrations", text, ifMatch), text);
            case UPDATE_INTEGRATION ->
                integrations.update(
                        like(original, HttpMethod.PATCH, "/v1/integrations/" + name, text, ifMatch), name, text);
            case SET_DEFAULTS ->
                integrations.setDefaults(
                        like(original, HttpMethod.PUT, "/v1/integrations/" + name + "/defaults", text, ifMatch),
                        name,
                        text);
            case UPSERT_MAPPING ->
                mappings.upsert(
                        like(
                                original,
                                HttpMethod.PUT,
                                "/v1/integrations/" + name + "/mappings/" + w.orgId(),
                                text,
                                ifMatch),
                        name,
                        w.orgId(),
                        text);
        };
    }

    /** A request as the caller would send it: their token and identity, the write's If-Match. */
    private static MutableHttpRequest<String> like(
            HttpRequest<?> original, HttpMethod method, String path, String body, Long ifMatch) {
        MutableHttpRequest<String> request =
                HttpRequest.<String>create(method, path).body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        original.getHeaders()
                .get(HttpHeaders.AUTHORIZATION, String.class)
                .ifPresent(a -> request.header(HttpHeaders.AUTHORIZATION, a));
        original.getAttribute(Caller.ATTRIBUTE, Caller.class).ifPresent(c -> request.setAttribute(Caller.ATTRIBUTE, c));
        if (ifMatch != null) request.header(HttpHeaders.IF_MATCH, "\"" + ifMatch + "\"");
        return request;
    }

    private static Optional<Long> version(MutableHttpResponse<?> response) {
        String etag = response.getHeaders().get(HttpHeaders.ETAG);
        if (etag == null) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(etag.replace("\"", "")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A write refused at apply time: its problem, naming the bundle item, saying the writes before it applied. */
    private static ProblemException refused(Write w, ProblemException e) {
        return new ProblemException(
                e.status(),
                e.type(),
                e.title(),
                "importing " + w.item() + " (" + w.kind() + " '" + w.name() + "') was refused: " + e.getMessage()
                        + "; the writes planned before it were applied",
                prefixed(w, e),
                e.members());
    }

    /** The problem's field errors named within the bundle (`integrations[2].defaults.timeout`). */
    private static List<FieldError> prefixed(Write w, ProblemException e) {
        List<FieldError> out = new ArrayList<>();
        if (e.errors().isEmpty()) {
            out.add(new FieldError(w.item(), e.getMessage()));
            return out;
        }
        for (FieldError err : e.errors()) {
            String field = err.getField();
            // A defaults write's body is {"config": ...}; the bundle calls it "defaults".
            if (w.action() == ImportPlan.Action.SET_DEFAULTS && field.startsWith("config"))
                field = "defaults" + field.substring("config".length());
            out.add(new FieldError(w.item() + "." + field, err.getMessage()));
        }
        return out;
    }

    /** The current state of the names a bundle mentions, as stored (sealed values stay sealed until a write). */
    private Mono<Snapshot> snapshot(Map<String, Set<String>> names) {
        Map<String, ConnectionState> conns = new ConcurrentHashMap<>();
        Map<String, IntegrationState> ints = new ConcurrentHashMap<>();
        Map<String, MappingState> maps = new ConcurrentHashMap<>();
        Flux<?> lookups = Flux.concat(
                Flux.fromIterable(names.get(BundleKinds.CONNECTION))
                        .flatMap(
                                n -> state.<ConnectionState>get(StoreNames.CONNECTIONS, n, n)
                                        .doOnNext(found -> found.ifPresent(c -> conns.put(n, c))),
                                LOOKUPS_IN_FLIGHT),
                Flux.fromIterable(names.get(BundleKinds.INTEGRATION))
                        .flatMap(
                                n -> state.<IntegrationState>get(StoreNames.INTEGRATIONS, n, n)
                                        .doOnNext(found -> found.ifPresent(s -> ints.put(n, s))),
                                LOOKUPS_IN_FLIGHT),
                Flux.fromIterable(names.get(BundleKinds.MAPPING))
                        .flatMap(
                                n -> {
                                    String integration = n.substring(0, n.indexOf('/'));
                                    String org = n.substring(n.indexOf('/') + 1);
                                    return state.<MappingState>get(
                                                    StoreNames.MAPPINGS,
                                                    integration,
                                                    Names.mappingKey(integration, org))
                                            .doOnNext(found -> found.ifPresent(m -> maps.put(n, m)));
                                },
                                LOOKUPS_IN_FLIGHT));
        return lookups.then(Mono.fromCallable(() -> new Snapshot(conns, ints, maps)));
    }

    /** The stored state an import is planned against. */
    private record Snapshot(
            Map<String, ConnectionState> connections,
            Map<String, IntegrationState> integrations,
            Map<String, MappingState> mappings) {

        /** The state as bundle items, for the planner. */
        Current current(SecretBox box) {
            Map<String, Map<String, Existing>> byKind = new HashMap<>();
            Map<String, Existing> conns = new LinkedHashMap<>();
            connections.forEach(
                    (n, c) -> conns.put(n, new Existing(BundleItems.connection(c), c.getVersion(), Set.of())));
            Map<String, Existing> ints = new LinkedHashMap<>();
            integrations.forEach((n, s) -> ints.put(
                    n,
                    new Existing(
                            BundleItems.integration(s, box), s.getVersion(), BundleItems.secretKeys(s.getDefaults()))));
            Map<String, Existing> maps = new LinkedHashMap<>();
            mappings.forEach((n, m) -> {
                IntegrationState integration = integrations.get(m.getIntegrationName());
                if (integration != null)
                    maps.put(
                            n,
                            new Existing(
                                    BundleItems.mapping(m, integration, box),
                                    m.getVersion(),
                                    BundleItems.secretKeys(m.getConfig())));
            });
            byKind.put(BundleKinds.CONNECTION, conns);
            byKind.put(BundleKinds.INTEGRATION, ints);
            byKind.put(BundleKinds.MAPPING, maps);
            return new Current(byKind);
        }
    }
}
