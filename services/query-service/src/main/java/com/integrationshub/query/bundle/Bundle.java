package com.integrationshub.query.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration bundle: `{"integrations": [...], "oauth_connections": [...], "mappings": [...]}`, each item a
 * resource without assigned fields and secrets ({@link BundleItems}).
 */
public record Bundle(Map<String, List<ObjectNode>> items) {

    /** The items of a kind, in bundle order. */
    public List<ObjectNode> of(String kind) {
        return items.getOrDefault(kind, List.of());
    }

    /**
     * Reads an import body: over `maxBytes` answers 413, not JSON 400, and a member that is not a list of objects,
     * or more than `maxItems` items in all, 422 naming it. Each item's own budgets are those of the API's bodies,
     * checked when it is planned.
     */
    public static Bundle read(String body, int maxBytes, int maxItems) {
        if (body == null || body.isBlank()) throw ProblemException.malformed("the request needs a JSON object body");
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw ProblemException.tooLarge("the bundle is " + bytes + " bytes, over the limit of " + maxBytes
                    + " bytes (hub.import.max-bytes)");
        }
        JsonNode root;
        try {
            root = JsonBody.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson's messages quote the input: say only where parsing stopped.
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw ProblemException.malformed("the bundle is not valid JSON" + where);
        }
        if (root == null || !root.isObject()) throw ProblemException.malformed("the bundle must be a JSON object");
        List<FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (BundleKinds.ORDER.stream()
                    .noneMatch(kind -> BundleKinds.list(kind).equals(name)))
                errors.add(new FieldError(JsonBody.named(name), "unknown field"));
        });
        Map<String, List<ObjectNode>> items = new LinkedHashMap<>();
        int count = 0;
        for (String kind : BundleKinds.ORDER) {
            String list = BundleKinds.list(kind);
            JsonNode value = root.get(list);
            List<ObjectNode> found = new ArrayList<>();
            items.put(kind, found);
            if (value == null || value.isNull()) continue;
            if (!value.isArray()) {
                errors.add(new FieldError(list, "must be a list of " + kind + " items"));
                continue;
            }
            count += value.size();
            if (count > maxItems) {
                throw ProblemException.invalid(
                        list, "the bundle holds over " + maxItems + " items, the limit (hub.import.max-items)");
            }
            for (int i = 0; i < value.size(); i++) {
                if (value.get(i).isObject()) found.add((ObjectNode) value.get(i));
                else errors.add(new FieldError(list + "[" + i + "]", "must be an object"));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.invalid(errors);
        return new Bundle(items);
    }

    /** The bundle of the given items (each `{"kind": ..., "item": ...}`), every list sorted by name. */
    public static ObjectNode assemble(List<JsonNode> kindItems) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        for (String kind : List.of(BundleKinds.INTEGRATION, BundleKinds.CONNECTION, BundleKinds.MAPPING)) {
            ArrayNode list = out.putArray(BundleKinds.list(kind));
            kindItems.stream()
                    .filter(k -> kind.equals(k.path("kind").asText()))
                    .map(k -> k.get("item"))
                    .sorted(Comparator.comparing(item -> BundleItems.name(kind, item)))
                    .forEach(list::add);
        }
        return out;
    }

    /** One item of an instance's part of an export, as {@link #assemble} reads it. */
    public static ObjectNode kindItem(String kind, ObjectNode item) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("kind", kind);
        out.set("item", item);
        return out;
    }
}
