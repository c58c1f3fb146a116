package com.integrationshub.query.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalogue of well-known OAuth 2.0 providers, read from a YAML list (the service's {@code providers.yml}). A
 * malformed entry fails the read with a message naming the entry and the member, so a bad file stops start-up
 * instead of serving half a catalogue.
 */
public final class ProviderCatalogue {

    /** The built-in catalogue on the classpath. */
    public static final String RESOURCE = "providers.yml";

    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Set<String> MEMBERS = Set.of(
            "provider",
            "display_name",
            "grant_types",
            "authorization_url",
            "token_url",
            "entity_id_name",
            "scopes",
            "scope_separator",
            "pkce",
            "token_auth_method",
            "refresh_token_rotation",
            "expires_in_omitted",
            "extra_authorize_params",
            "docs_url",
            "notes");

    private final Map<String, Provider> byId;

    private ProviderCatalogue(Map<String, Provider> byId) {
        this.byId = byId;
    }

    /** The built-in catalogue. */
    public static ProviderCatalogue builtIn() {
        try (InputStream in = ProviderCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " could not be read", e);
        }
    }

    /**
     * Reads a catalogue; {@code source} names it in errors.
     *
     * @throws IllegalArgumentException naming the entry and member when an entry is malformed or an id repeats
     */
    public static ProviderCatalogue read(InputStream yaml, String source) throws IOException {
        JsonNode root = new YAMLMapper().readTree(yaml);
        if (root == null || !root.isArray()) throw new IllegalArgumentException(source + ": must be a YAML list");
        Map<String, Provider> byId = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            Provider p = new Entry(source, i, root.get(i)).provider();
            if (byId.putIfAbsent(p.provider(), p) != null) {
                throw new IllegalArgumentException(source + ": provider '" + p.provider() + "' is listed twice");
            }
        }
        return new ProviderCatalogue(byId);
    }

    /** Every entry, in the file's order. */
    public List<Provider> all() {
        return List.copyOf(byId.values());
    }

    /** The entry of that id, if listed. */
    public Optional<Provider> find(String provider) {
        return Optional.ofNullable(byId.get(provider));
    }

    /** One entry being read; each accessor throws naming the entry and the member. */
    private record Entry(String source, int index, JsonNode node) {

        Provider provider() {
            if (node == null || !node.isObject()) throw wrong("(entry)", "must be a mapping");
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!MEMBERS.contains(name)) throw wrong(name, "is not a member of a provider entry");
            }
            String id = required("provider");
            if (!ID.matcher(id).matches()) throw wrong("provider", "must match " + ID.pattern());
            List<String> grants = strings("grant_types");
            if (grants.isEmpty()) throw wrong("grant_types", "must name at least one grant type");
            for (String grant : grants) oneOf("grant_types", grant, Provider.GRANT_TYPES);
            String authorizationUrl = optional("authorization_url");
            if (grants.contains("authorization_code") && authorizationUrl == null) {
                throw wrong("authorization_url", "is required with authorization_code");
            }
            return new Provider(
                    id,
                    required("display_name"),
                    grants,
                    authorizationUrl,
                    required("token_url"),
                    optional("entity_id_name"),
                    strings("scopes"),
                    node.has("scope_separator") ? required("scope_separator") : " ",
                    bool("pkce", null),
                    oneOf("token_auth_method", required("token_auth_method"), Provider.TOKEN_AUTH_METHODS),
                    oneOf("refresh_token_rotation", required("refresh_token_rotation"), Provider.ROTATIONS),
                    bool("expires_in_omitted", false),
                    stringMap("extra_authorize_params"),
                    required("docs_url"),
                    optional("notes"));
        }

        private String required(String member) {
            String value = optional(member);
            if (value == null || value.isEmpty()) throw wrong(member, "is required");
            return value;
        }

        private String optional(String member) {
            JsonNode value = node.get(member);
            if (value == null || value.isNull()) return null;
            if (!value.isTextual()) throw wrong(member, "must be a string");
            return value.textValue();
        }

        private boolean bool(String member, Boolean absent) {
            JsonNode value = node.get(member);
            if (value == null || value.isNull()) {
                if (absent == null) throw wrong(member, "is required (true or false)");
                return absent;
            }
            if (!value.isBoolean()) throw wrong(member, "must be true or false");
            return value.booleanValue();
        }

        private List<String> strings(String member) {
            JsonNode value = node.get(member);
            List<String> out = new ArrayList<>();
            if (value == null || value.isNull()) return out;
            if (!value.isArray()) throw wrong(member, "must be a list of strings");
            for (JsonNode item : value) {
                if (!item.isTextual() || item.textValue().isEmpty()) {
                    throw wrong(member, "must be a list of non-empty strings");
                }
                out.add(item.textValue());
            }
            return out;
        }

        private Map<String, String> stringMap(String member) {
            JsonNode value = node.get(member);
            Map<String, String> out = new LinkedHashMap<>();
            if (value == null || value.isNull()) return out;
            if (!value.isObject()) throw wrong(member, "must be a mapping of strings");
            value.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) throw wrong(member + "." + e.getKey(), "must be a string");
                out.put(e.getKey(), e.getValue().textValue());
            });
            return out;
        }

        private String oneOf(String member, String value, List<String> allowed) {
            if (!allowed.contains(value)) throw wrong(member, "must be one of " + allowed);
            return value;
        }

        private IllegalArgumentException wrong(String member, String why) {
            JsonNode id = node == null ? null : node.get("provider");
            String which = id != null && id.isTextual() ? " (" + id.textValue() + ")" : "";
            return new IllegalArgumentException(source + ": entry " + (index + 1) + which + ": " + member + " " + why);
        }
    }
}
