package com.integrationshub.query.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A provider's document as one org calls it: through the hub's proxy, with the hub token. {@code servers}
 * becomes the org's proxy URL (at the top, and path- or operation-level servers are dropped, as they name the
 * provider), the provider's security schemes are replaced by one bearer scheme, and every operation (and the document's
 * default) asks for that scheme.
 */
public final class OrgSpecView {

    /** The name of the one security scheme of the org's view. */
    public static final String SCHEME = "hubToken";

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OrgSpecView() {}

    /** A transformed copy of {@code document}; the stored document is left as it is. */
    public static ObjectNode of(JsonNode document, String proxyUrl) {
        ObjectNode doc = document.deepCopy();
        ArrayNode servers = doc.putArray("servers");
        servers.addObject().put("url", proxyUrl).put("description", "The hub's proxy; authenticate with a hub token");

        ObjectNode components = doc.get("components") instanceof ObjectNode c ? c : doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject(SCHEME)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "A hub token of this org; the hub adds the provider's credentials");
        doc.set("security", hubRequirement(doc));

        if (doc.get("paths") instanceof ObjectNode paths) {
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                if (!(it.next().getValue() instanceof ObjectNode item)) continue;
                item.remove("servers");
                for (Iterator<Map.Entry<String, JsonNode>> ops = item.fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    if (!METHODS.contains(op.getKey()) || !(op.getValue() instanceof ObjectNode operation)) continue;
                    operation.remove("servers");
                    // Even an operation the provider leaves open ("security": []) goes through the proxy, which
                    // takes only a hub token: every operation points at it.
                    operation.set("security", hubRequirement(doc));
                }
            }
        }
        return doc;
    }

    private static ArrayNode hubRequirement(ObjectNode doc) {
        ArrayNode requirement = doc.arrayNode();
        requirement.addObject().putArray(SCHEME);
        return requirement;
    }
}
