package com.integrationshub.query.bundle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.FieldError;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an import does: one entry per bundle item (create, update, unchanged), and the writes that do it, in order;
 * or the errors that keep the bundle from being applied (each naming its item and field).
 */
public record ImportPlan(List<Entry> entries, List<Write> writes, List<FieldError> errors) {

    /** One item's fate; `secretsToSet` names the secrets a created item still lacks (never imported). */
    public record Entry(String op, String kind, String name, List<String> secretsToSet) {}

    /** The API write an import sends, as the API would receive it. */
    public enum Action {
        /** POST /v1/oauth/connections. */
        CREATE_CONNECTION,
        /** PATCH /v1/oauth/connections/{name}. */
        UPDATE_CONNECTION,
        /** POST /v1/integrations. */
        CREATE_INTEGRATION,
        /** PATCH /v1/integrations/{name}. */
        UPDATE_INTEGRATION,
        /** PUT /v1/integrations/{name}/defaults. */
        SET_DEFAULTS,
        /** PUT /v1/integrations/{name}/mappings/{org_id}. */
        UPSERT_MAPPING
    }

    /**
     * One write: its body as a client would send it, the version it expects (If-Match; null for a create), and
     * the config keys whose current secret values it keeps (the bundle has none, so they are added back when sent).
     * `item` is where the item is in the bundle (e.g. `integrations[2]`), for problems.
     */
    public record Write(
            Action action,
            String kind,
            String name,
            String item,
            ObjectNode body,
            Long expectedVersion,
            Set<String> keepSecrets) {

        /** The integration a write is about (the connection's name for a connection write). */
        public String resource() {
            return kind.equals(BundleKinds.MAPPING) ? name.substring(0, name.indexOf('/')) : name;
        }

        /** The org of a mapping write. */
        public String orgId() {
            return name.substring(name.indexOf('/') + 1);
        }
    }

    /** Throws the 422 naming every error, the given ones (found checking the writes) too; nothing when none. */
    public void throwIfInvalid(List<FieldError> more) {
        List<FieldError> all = new ArrayList<>(errors);
        all.addAll(more);
        if (!all.isEmpty()) throw ProblemException.invalid(all);
    }

    /** Whether the import changes anything. */
    public boolean changes() {
        return !writes.isEmpty();
    }

    /** The answer of POST /v1/import: `{"plan": [...], "applied": ...}`. */
    public ObjectNode toJson(boolean applied) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        ArrayNode plan = out.putArray("plan");
        for (Entry e : entries) {
            ObjectNode entry =
                    plan.addObject().put("op", e.op()).put("kind", e.kind()).put("name", e.name());
            if (!e.secretsToSet().isEmpty()) {
                ArrayNode secrets = entry.putArray("secrets_to_set");
                e.secretsToSet().forEach(secrets::add);
            }
        }
        out.put("applied", applied);
        return out;
    }
}
