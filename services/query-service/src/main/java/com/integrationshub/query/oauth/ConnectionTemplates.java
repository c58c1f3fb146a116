package com.integrationshub.query.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.provider.Provider;
import com.integrationshub.query.provider.ProviderCatalogue;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A connection made from a catalogue entry: {@code POST /v1/oauth/connections {"provider": "..."}} takes every member
 * it leaves out from that entry, before the body is read as any other; what the request sets wins.
 * {@code {entity_id}} stays in the URLs, filled per org when they are used.
 */
@Singleton
public class ConnectionTemplates {

    /** The request member naming the entry. */
    public static final String PROVIDER = "provider";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The connection members an entry fills and where each comes from (empty: the entry leaves it out). The one list
     * to extend when the connection gains a member the catalogue knows (e.g. refresh_token_rotation).
     */
    static final Map<String, Function<Provider, Optional<JsonNode>>> FILLED = filled();

    private final ProviderCatalogue catalogue;

    public ConnectionTemplates(ProviderCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Fills the members the body leaves out from the entry it names; a body without {@code provider} is returned as
     * it is.
     *
     * @throws ProblemException 422 naming {@code provider} when it is not a string, not a name, or not listed
     */
    public JsonBody fill(JsonBody body) {
        if (!body.has(PROVIDER)) return body;
        String id = body.optionalName(PROVIDER);
        body.throwIfInvalid();
        if (id == null) return body;
        Provider entry = catalogue
                .find(id)
                .orElseThrow(() -> ProblemException.invalid(
                        PROVIDER, "is not in the provider catalogue (GET /v1/providers lists it)"));
        FILLED.forEach((member, from) -> from.apply(entry).ifPresent(value -> body.putIfAbsent(member, value)));
        return body;
    }

    private static Map<String, Function<Provider, Optional<JsonNode>>> filled() {
        Map<String, Function<Provider, Optional<JsonNode>>> m = new LinkedHashMap<>();
        m.put("grant_type", p -> Optional.of(NODES.textNode(p.defaultGrantType())));
        m.put("authorization_url", p -> p.authorization().map(NODES::textNode));
        m.put("token_url", p -> Optional.of(NODES.textNode(p.tokenUrl())));
        m.put("scopes", p -> {
            var scopes = NODES.arrayNode();
            p.scopes().forEach(scopes::add);
            return Optional.of(scopes);
        });
        m.put("extra_authorize_params", p -> {
            ObjectNode extra = NODES.objectNode();
            p.extraAuthorizeParams().forEach(extra::put);
            return Optional.of(extra);
        });
        m.put("client_auth_method", p -> Optional.of(NODES.textNode(p.tokenAuthMethod())));
        m.put("refresh_token_rotation", p -> Optional.of(NODES.textNode(p.refreshTokenRotation())));
        return Collections.unmodifiableMap(m);
    }
}
