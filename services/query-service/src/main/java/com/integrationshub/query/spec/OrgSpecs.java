package com.integrationshub.query.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.ReadRouter;
import com.integrationshub.query.route.Views;
import com.integrationshub.query.security.Forwarding;
import com.integrationshub.state.IntegrationState;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a stored document where the integration's views live, and an org's view of it (servers = the org's proxy URL,
 * one hub bearer scheme) for whatever is made of it there: the JSON of GET .../openapi, or an SDK.
 */
@Singleton
public class OrgSpecs {

    /** The spec version of the document a response carries (the ETag is the integration's version). */
    public static final String SPEC_VERSION = "X-Hub-Spec-Version";

    /** The base URL of the instance a forwarded org view was asked on. */
    private static final String ASKED_BASE = "X-Hub-Asked-Base";

    /**
     * An org's view of a document.
     *
     * @param view the transformed document
     * @param digest the stored document's SHA-256
     * @param proxyUrl the org's proxy URL the view's servers name
     * @param version the integration's version (the ETag)
     * @param specVersion the document's spec version
     */
    public record OrgDocument(ObjectNode view, String digest, String proxyUrl, long version, long specVersion) {
        /** A response of this document's ETag and spec version. */
        public MutableHttpResponse<?> headers(MutableHttpResponse<?> response) {
            return response.header(HttpHeaders.ETAG, "\"" + version + "\"")
                    .header(SPEC_VERSION, Long.toString(specVersion));
        }
    }

    private final ReadRouter router;
    private final SpecStore store;
    private final PublicUrlSettings publicUrl;
    private final BeanProvider<EmbeddedServer> server;

    public OrgSpecs(
            ReadRouter router, SpecStore store, PublicUrlSettings publicUrl, BeanProvider<EmbeddedServer> server) {
        this.router = router;
        this.store = store;
        this.publicUrl = publicUrl;
        this.server = server;
    }

    /**
     * Answers with {@code respond} applied to the org's view where the integration lives (a forwarded request is
     * answered whole by that instance); 404 if the integration or its document does not exist.
     */
    public Publisher<MutableHttpResponse<?>> answer(
            HttpRequest<?> request,
            String orgId,
            String name,
            Function<OrgDocument, Mono<MutableHttpResponse<?>>> respond) {
        // Without hub.public-url the proxy URL is the address of the instance asked: a read forwarded to the owner
        // of the integration's partition carries it (trusted only with the forwarding instance's internal token).
        boolean forwarded = Forwarding.trusted(request);
        String base = forwarded ? request.getHeaders().get(ASKED_BASE) : null;
        if (base == null) base = base();
        String proxy = base + "/v1/orgs/" + orgId + "/integrations/" + name + "/proxy";
        HttpRequest<?> routed = forwarded ? request : request.mutate().header(ASKED_BASE, base);
        return Mono.from(router.answer(
                        routed,
                        name,
                        (views, stale) -> {
                            IntegrationState state = state(views, name, stale);
                            ObjectNode view = OrgSpecView.of(read(stored(state, name)), proxy);
                            OrgDocument doc = new OrgDocument(
                                    view, state.getSpecDigest(), proxy, state.getVersion(), state.getSpecVersion());
                            return HttpResponse.ok(doc);
                        },
                        local -> respond.apply((OrgDocument) local.body())))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The stored document of integration {@code name} as JSON, with its ETag and spec version; 404 if none. */
    public MutableHttpResponse<?> document(Views views, String name, boolean stale) {
        IntegrationState state = state(views, name, stale);
        return HttpResponse.ok(stored(state, name))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, "\"" + state.getVersion() + "\"")
                .header(SPEC_VERSION, Long.toString(state.getSpecVersion()));
    }

    private static IntegrationState state(Views views, String name, boolean stale) {
        IntegrationState state = views.integration(name, stale)
                .orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"));
        if (state.getSpecDigest() == null) {
            throw ProblemException.notFound("integration '" + name + "' has no OpenAPI document");
        }
        return state;
    }

    private byte[] stored(IntegrationState state, String name) {
        return store.read(state.getSpecDigest(), state.getSpecChunks())
                .orElseThrow(() -> ProblemException.unavailable(
                        "the OpenAPI document has not reached this instance yet; try again"));
    }

    private static ObjectNode read(byte[] json) {
        try {
            return (ObjectNode) JsonBody.mapper().readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("a stored document is a JSON object", e);
        }
    }

    private String base() {
        String configured = publicUrl.getPublicUrl();
        if (configured != null) return configured;
        return server.get().getURL().toString().replaceAll("/+$", "");
    }
}
