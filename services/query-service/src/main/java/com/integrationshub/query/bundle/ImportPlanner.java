package com.integrationshub.query.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.domain.config.MergedConfig;
import com.integrationshub.query.bundle.ImportPlan.Action;
import com.integrationshub.query.bundle.ImportPlan.Entry;
import com.integrationshub.query.bundle.ImportPlan.Write;
import com.integrationshub.query.integration.IntegrationJson;
import com.integrationshub.query.json.ConfigJson;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans an import: compares each item of a bundle with what the hub holds (create, update, unchanged) and lists the
 * API writes that make the hub hold the bundle — connections first, then integrations, then mappings. Checks the
 * whole bundle: every bad field is an error naming its item (`integrations[1].defaults.x`), and a bad item has no
 * writes.
 *
 * <p>Rules: a member absent from an item keeps its current value (on a create, the API's default); a `config` or
 * `defaults` object is the whole set of non-secret values. Secrets are never imported (a bundle carrying one is
 * refused) and never wiped: an update keeps every secret the resource holds. Nothing is deleted. Plain Java:
 * the caller fetches the current state and sends the writes.
 */
public final class ImportPlanner {

    /** A resource the hub holds now: its bundle item, its version, and which of its config keys hold secrets. */
    public record Existing(ObjectNode item, long version, Set<String> secretKeys) {}

    /** What the hub holds now of the names a bundle mentions: kind → name → resource. */
    public record Current(Map<String, Map<String, Existing>> byKind) {

        /** The resource of a kind and name, if the hub holds it. */
        public Optional<Existing> find(String kind, String name) {
            return Optional.ofNullable(byKind.getOrDefault(kind, Map.of()).get(name));
        }
    }

    /** The schema and defaults an integration will have once the bundle is applied (secrets as placeholders). */
    private record Target(ConfigSchema schema, Map<String, Object> defaults) {}

    private static final String SECRET_PLACEHOLDER = "(kept secret)";

    private final Bundle bundle;
    private final Current current;
    private final List<FieldError> errors = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();
    private final Map<String, Target> targets = new HashMap<>();

    private ImportPlanner(Bundle bundle, Current current) {
        this.bundle = bundle;
        this.current = current;
    }

    /** The plan, with the errors (each naming its item and field) that keep the bundle from being applied. */
    public static ImportPlan plan(Bundle bundle, Current current) {
        ImportPlanner planner = new ImportPlanner(bundle, current);
        planner.connections();
        planner.integrations();
        planner.mappings();
        return new ImportPlan(List.copyOf(planner.entries), List.copyOf(planner.writes), List.copyOf(planner.errors));
    }

    /** The names the plan needs the current state of: kind → names (the bundle's, and those its items refer to). */
    public static Map<String, Set<String>> names(Bundle bundle) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        BundleKinds.ORDER.forEach(kind -> names.put(kind, new TreeSet<>()));
        for (String kind : BundleKinds.ORDER) {
            for (ObjectNode item : bundle.of(kind)) {
                String name = BundleItems.name(kind, item);
                if (name != null && validName(kind, name)) names.get(kind).add(name);
            }
        }
        for (ObjectNode item : bundle.of(BundleKinds.INTEGRATION)) {
            JsonNode connection = item.get("oauth_connection");
            if (connection != null && connection.isTextual() && Names.valid(connection.asText()))
                names.get(BundleKinds.CONNECTION).add(connection.asText());
        }
        for (ObjectNode item : bundle.of(BundleKinds.MAPPING)) {
            JsonNode integration = item.get("integration");
            if (integration != null && integration.isTextual() && Names.valid(integration.asText()))
                names.get(BundleKinds.INTEGRATION).add(integration.asText());
        }
        return names;
    }

    private void connections() {
        String kind = BundleKinds.CONNECTION;
        Set<String> seen = new HashSet<>();
        List<ObjectNode> items = bundle.of(kind);
        for (int i = 0; i < items.size(); i++) {
            String at = BundleKinds.list(kind) + "[" + i + "]";
            ObjectNode item = items.get(i);
            String name = named(kind, item, at, seen);
            if (name == null || !withinBudgets(item, at)) continue;
            boolean secret = false;
            for (String field : BundleItems.CONNECTION_SECRETS) {
                if (item.has(field)) {
                    secret = true;
                    errors.add(new FieldError(
                            at + "." + field,
                            "secrets are never imported: set it with PATCH /v1/oauth/connections/" + name));
                }
            }
            if (secret) continue;
            Optional<Existing> existing = current.find(kind, name);
            if (existing.isEmpty()) {
                entries.add(new Entry("create", kind, name, List.copyOf(BundleItems.CONNECTION_SECRETS)));
                writes.add(new Write(Action.CREATE_CONNECTION, kind, name, at, item.deepCopy(), null, Set.of()));
                continue;
            }
            ObjectNode patch = changed(item, existing.get().item(), Set.of("connection_name"));
            if (patch.isEmpty()) {
                entries.add(new Entry("unchanged", kind, name, List.of()));
            } else {
                entries.add(new Entry("update", kind, name, List.of()));
                writes.add(new Write(
                        Action.UPDATE_CONNECTION,
                        kind,
                        name,
                        at,
                        patch,
                        existing.get().version(),
                        Set.of()));
            }
        }
    }

    private void integrations() {
        String kind = BundleKinds.INTEGRATION;
        Set<String> seen = new HashSet<>();
        Set<String> bundleConnections = new HashSet<>();
        bundle.of(BundleKinds.CONNECTION).forEach(c -> {
            String name = BundleItems.name(BundleKinds.CONNECTION, c);
            if (name != null) bundleConnections.add(name);
        });
        List<ObjectNode> items = bundle.of(kind);
        for (int i = 0; i < items.size(); i++) {
            String at = BundleKinds.list(kind) + "[" + i + "]";
            ObjectNode item = items.get(i);
            String name = named(kind, item, at, seen);
            if (name == null || !withinBudgets(item, at)) continue;
            Optional<Existing> existing = current.find(kind, name);
            int before = errors.size();

            ConfigSchema schema;
            ConfigSchema currentSchema =
                    existing.map(e -> schemaOf(e.item(), at)).orElse(null);
            if (item.has("config_schema")) schema = schemaOf(item, at);
            else schema = currentSchema != null ? currentSchema : new ConfigSchema(List.of());

            if (existing.isPresent()
                    && item.has("auth_scheme")
                    && !item.get("auth_scheme").equals(existing.get().item().get("auth_scheme"))) {
                errors.add(new FieldError(
                        at + ".auth_scheme", "cannot be changed; delete the integration and create it anew"));
            }
            JsonNode connection = item.has("oauth_connection")
                    ? item.get("oauth_connection")
                    : existing.map(e -> e.item().get("oauth_connection")).orElse(null);
            if (connection != null && connection.isTextual()) {
                String ref = connection.asText();
                if (!bundleConnections.contains(ref)
                        && current.find(BundleKinds.CONNECTION, ref).isEmpty()) {
                    errors.add(new FieldError(
                            at + ".oauth_connection", "names an OAuth connection neither the bundle nor the hub has"));
                }
            }

            Set<String> keep = new TreeSet<>();
            if (existing.isPresent()) {
                for (String key : existing.get().secretKeys()) {
                    if (isSecret(schema, key)) keep.add(key);
                }
            }
            ObjectNode defaults = null;
            Map<String, Object> defaultValues = new LinkedHashMap<>();
            if (item.has("defaults") && !item.get("defaults").isNull()) {
                if (!item.get("defaults").isObject()) {
                    errors.add(new FieldError(at + ".defaults", "must be an object"));
                } else {
                    defaults = (ObjectNode) item.get("defaults");
                    defaultValues = configValues(defaults, at + ".defaults", schema, name, "/defaults", errors);
                }
            } else if (existing.isPresent()) {
                ObjectNode currentDefaults = (ObjectNode) existing.get().item().get("defaults");
                defaultValues =
                        configValues(currentDefaults, at + ".defaults", schema, name, "/defaults", new ArrayList<>());
            }
            Map<String, Object> targetDefaults = new LinkedHashMap<>(defaultValues);
            keep.forEach(key -> targetDefaults.put(key, SECRET_PLACEHOLDER));
            targets.put(name, new Target(schema, targetDefaults));
            if (errors.size() > before) continue;

            if (existing.isEmpty()) {
                ObjectNode body = item.deepCopy();
                body.remove("defaults");
                entries.add(new Entry("create", kind, name, List.of()));
                writes.add(new Write(Action.CREATE_INTEGRATION, kind, name, at, body, null, Set.of()));
                if (defaults != null && !defaults.isEmpty()) writes.add(setDefaults(name, at, defaults, null, keep));
                continue;
            }
            ObjectNode patch = changed(item, existing.get().item(), Set.of("name", "auth_scheme", "defaults"));
            boolean defaultsChanged =
                    defaults != null && !same(defaults, existing.get().item().get("defaults"));
            if (patch.isEmpty() && !defaultsChanged) {
                entries.add(new Entry("unchanged", kind, name, List.of()));
                continue;
            }
            entries.add(new Entry("update", kind, name, List.of()));
            long version = existing.get().version();
            Write patchWrite = new Write(Action.UPDATE_INTEGRATION, kind, name, at, patch, version, Set.of());
            if (patch.isEmpty()) {
                writes.add(setDefaults(name, at, defaults, version, keep));
            } else if (!defaultsChanged) {
                writes.add(patchWrite);
            } else {
                // A schema change is refused while stored values break it: new defaults go first when the current
                // schema takes them (a key dropped), else after the schema (a key added). The second write expects
                // the version the first made.
                List<FieldError> underCurrent = new ArrayList<>();
                configValues(defaults, at + ".defaults", currentSchema, name, "/defaults", underCurrent);
                if (underCurrent.isEmpty()) {
                    writes.add(setDefaults(name, at, defaults, version, keep));
                    writes.add(new Write(Action.UPDATE_INTEGRATION, kind, name, at, patch, null, Set.of()));
                } else {
                    writes.add(patchWrite);
                    writes.add(setDefaults(name, at, defaults, null, keep));
                }
            }
        }
    }

    private void mappings() {
        String kind = BundleKinds.MAPPING;
        Set<String> seen = new HashSet<>();
        List<ObjectNode> items = bundle.of(kind);
        for (int i = 0; i < items.size(); i++) {
            String at = BundleKinds.list(kind) + "[" + i + "]";
            ObjectNode item = items.get(i);
            String name = named(kind, item, at, seen);
            if (name == null || !withinBudgets(item, at)) continue;
            String integration = item.get("integration").asText();
            String orgId = item.get("org_id").asText();
            if (item.has("oauth_token_id")) {
                errors.add(new FieldError(
                        at + ".oauth_token_id",
                        "is set by the org's authorization, not imported; an import keeps the current one"));
                continue;
            }
            Target target = targets.get(integration);
            if (target == null) {
                if (bundleHas(integration)) continue; // that integration's own item is bad, and named already
                Optional<Existing> stored = current.find(BundleKinds.INTEGRATION, integration);
                if (stored.isEmpty()) {
                    errors.add(new FieldError(
                            at + ".integration", "names an integration neither the bundle nor the hub has"));
                    continue;
                }
                target = stored(stored.get(), integration, at);
            }
            ConfigSchema schema = target.schema();
            Optional<Existing> existing = current.find(kind, name);
            Set<String> keep = new TreeSet<>();
            existing.ifPresent(e ->
                    e.secretKeys().stream().filter(key -> isSecret(schema, key)).forEach(keep::add));
            ObjectNode desired = existing.map(e -> e.item().deepCopy())
                    .orElseGet(() -> JsonBody.mapper().createObjectNode());
            desired.setAll(item);
            int before = errors.size();
            JsonNode config = desired.get("config");
            Map<String, Object> values = new LinkedHashMap<>();
            if (config != null && !config.isNull()) {
                if (!config.isObject()) errors.add(new FieldError(at + ".config", "must be an object"));
                else
                    values = configValues(
                            (ObjectNode) config, at + ".config", schema, integration, "/mappings/" + orgId, errors);
            }
            if (errors.size() > before) continue;
            Map<String, Object> overrides = new LinkedHashMap<>(values);
            keep.forEach(key -> overrides.put(key, SECRET_PLACEHOLDER));
            schema.validateRequired(MergedConfig.merge(target.defaults(), overrides), "config").stream()
                    .map(e -> new FieldError(at + "." + e.getField(), e.getMessage()))
                    .forEach(errors::add);
            if (errors.size() > before) continue;

            ObjectNode body = desired.deepCopy();
            body.remove("integration");
            body.remove("org_id");
            if (existing.isEmpty()) {
                entries.add(new Entry("create", kind, name, List.of()));
                writes.add(new Write(Action.UPSERT_MAPPING, kind, name, at, body, null, Set.of()));
            } else if (changed(desired, existing.get().item(), Set.of()).isEmpty()) {
                entries.add(new Entry("unchanged", kind, name, List.of()));
            } else {
                entries.add(new Entry("update", kind, name, List.of()));
                writes.add(new Write(
                        Action.UPSERT_MAPPING,
                        kind,
                        name,
                        at,
                        body,
                        existing.get().version(),
                        keep));
            }
        }
    }

    /** The target of an integration the bundle leaves as it is. */
    private Target stored(Existing integration, String name, String at) {
        ConfigSchema schema = schemaOf(integration.item(), at);
        Map<String, Object> defaults =
                configValues((ObjectNode) integration.item().get("defaults"), at, schema, name, "", new ArrayList<>());
        integration.secretKeys().forEach(key -> defaults.put(key, SECRET_PLACEHOLDER));
        return new Target(schema, defaults);
    }

    private boolean bundleHas(String integration) {
        return bundle.of(BundleKinds.INTEGRATION).stream()
                .anyMatch(item -> integration.equals(BundleItems.name(BundleKinds.INTEGRATION, item)));
    }

    private static Write setDefaults(String name, String at, ObjectNode defaults, Long version, Set<String> keep) {
        ObjectNode body = JsonBody.mapper().createObjectNode();
        body.set("config", defaults.deepCopy());
        return new Write(Action.SET_DEFAULTS, BundleKinds.INTEGRATION, name, at, body, version, Set.copyOf(keep));
    }

    /** The item's name, checked: valid and not seen before in the bundle; null (and an error) when not. */
    private String named(String kind, ObjectNode item, String at, Set<String> seen) {
        List<String> fields = kind.equals(BundleKinds.MAPPING)
                ? List.of("integration", "org_id")
                : List.of(BundleKinds.nameField(kind));
        boolean ok = true;
        for (String field : fields) {
            JsonNode value = item.get(field);
            if (value == null || !value.isTextual() || !Names.valid(value.asText())) {
                errors.add(new FieldError(at + "." + field, "is required and must match [A-Za-z0-9_.-]{1,128}"));
                ok = false;
            }
        }
        if (!ok) return null;
        String name = BundleItems.name(kind, item);
        if (!seen.add(name)) {
            errors.add(
                    new FieldError(at + "." + fields.get(fields.size() - 1), "names an item the bundle already has"));
            return null;
        }
        return name;
    }

    private static boolean validName(String kind, String name) {
        if (!kind.equals(BundleKinds.MAPPING)) return Names.valid(name);
        int slash = name.indexOf('/');
        return slash > 0 && Names.valid(name.substring(0, slash)) && Names.valid(name.substring(slash + 1));
    }

    /** Each item is one API body: the API's budgets (body, value and list sizes) apply to it as to any body. */
    private boolean withinBudgets(ObjectNode item, String at) {
        try {
            JsonBody.parse(item.toString());
            return true;
        } catch (ProblemException e) {
            addPrefixed(at, e);
            return false;
        }
    }

    private ConfigSchema schemaOf(ObjectNode item, String at) {
        JsonBody json = JsonBody.parse(item.toString());
        List<ConfigField> fields = IntegrationJson.readSchema(json, "config_schema");
        json.errors(ConfigSchema.checkDefinition(fields, "config_schema"));
        try {
            json.throwIfInvalid();
        } catch (ProblemException e) {
            addPrefixed(at, e);
        }
        return new ConfigSchema(fields);
    }

    /**
     * The config values of a `defaults` or `config` object under a schema, as the API reads them; a secret key, an
     * unknown key or a value of the wrong type is an error naming it.
     */
    private static Map<String, Object> configValues(
            ObjectNode config,
            String at,
            ConfigSchema schema,
            String integration,
            String where,
            List<FieldError> found) {
        ObjectNode plain = JsonBody.mapper().createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (isSecret(schema, e.getKey())) {
                found.add(new FieldError(
                        at + "." + JsonBody.named(e.getKey()),
                        "is a secret: secrets are never imported; set it with PUT /v1/integrations/" + integration
                                + where));
            } else {
                plain.set(e.getKey(), e.getValue());
            }
        }
        JsonBody errors = JsonBody.parse("{}");
        // No secret reaches the conversion (taken out above), so it needs no secret box.
        Map<String, Object> values = ConfigJson.fromJson(plain, "", schema, null, key -> key, errors);
        try {
            errors.throwIfInvalid();
        } catch (ProblemException e) {
            e.errors().forEach(err -> found.add(new FieldError(at + err.getField(), err.getMessage())));
        }
        return values;
    }

    private static boolean isSecret(ConfigSchema schema, String key) {
        return schema.field(key).map(f -> f.getType() == ConfigFieldType.SECRET).orElse(false);
    }

    /** The members of `item` (but `ignored`) whose value differs from `existing`'s. */
    private static ObjectNode changed(ObjectNode item, ObjectNode existing, Set<String> ignored) {
        ObjectNode patch = JsonBody.mapper().createObjectNode();
        item.fields().forEachRemaining(e -> {
            if (ignored.contains(e.getKey())) return;
            if (!existing.has(e.getKey()) || !same(e.getValue(), existing.get(e.getKey())))
                patch.set(e.getKey(), e.getValue());
        });
        return patch;
    }

    /**
     * Whether two values are the same once read as the API reads them: numbers by value (30 and 30.0 aside), and a
     * config schema entry without `required` as `required: false`.
     */
    static boolean same(JsonNode a, JsonNode b) {
        return normal(a).equals(normal(b));
    }

    private static JsonNode normal(JsonNode node) {
        if (node == null) return JsonBody.mapper().nullNode();
        JsonNode copy;
        try {
            copy = JsonBody.mapper().readTree(node.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed value does not print as JSON", e);
        }
        if (copy.isArray()) {
            copy.forEach(entry -> {
                if (entry.isObject() && entry.has("key") && entry.has("type") && !entry.hasNonNull("required"))
                    ((ObjectNode) entry).put("required", false);
            });
        }
        return copy;
    }

    private void addPrefixed(String at, ProblemException e) {
        if (e.errors().isEmpty()) errors.add(new FieldError(at, e.getMessage()));
        else
            e.errors()
                    .forEach(err -> errors.add(new FieldError(
                            err.getField().equals("(body)") ? at : at + "." + err.getField(), err.getMessage())));
    }
}
