package com.integrationshub.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local registry's subjects, versions, schema ids and compatibility configs, kept in memory and made durable
 * in a {@link SchemasTopic}: every change is written to the topic and acknowledged before it is applied and answered,
 * and the topic is replayed at start. Keys and values are JSON in the shape Confluent's registry uses.
 */
final class SchemaStore implements AutoCloseable {

    /** One version of a subject. */
    record SubjectVersion(String subject, int version, int id, String schema) {}

    /** The outcome of a registration: the schema's global id and its version in the subject. */
    record Registration(int id, int version, boolean created) {}

    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_KEY = "SCHEMA";
    private static final String CONFIG_KEY = "CONFIG";

    private final SchemasTopic topic;
    private final Map<String, TreeMap<Integer, SubjectVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> parsedById = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    private SchemaStore(SchemasTopic topic) {
        this.topic = topic;
    }

    /** Returns a store holding everything {@code topic} holds. */
    static SchemaStore load(SchemasTopic topic) {
        final SchemaStore store = new SchemaStore(topic);
        topic.readToEnd(store::replay);
        return store;
    }

    /** Returns how many distinct schemas (ids) the store holds. */
    synchronized int schemaCount() {
        return schemasById.size();
    }

    /**
     * Registers {@code schemaText} under {@code subject}: the version it already has there, or a new version after
     * the compatibility check, reusing the schema's global id if another subject has it.
     */
    synchronized Registration register(String subject, String schemaText) {
        final Schema schema = parse(schemaText);
        final String canonical = schema.toString();
        final TreeMap<Integer, SubjectVersion> versions = subjects.getOrDefault(subject, new TreeMap<>());
        for (SubjectVersion existing : versions.values()) {
            if (existing.schema().equals(canonical)) {
                return new Registration(existing.id(), existing.version(), false);
            }
        }
        final CompatibilityLevel level = effectiveLevel(subject);
        final List<String> problems = level.check(schema, history(versions));
        if (!problems.isEmpty()) {
            throw new ApiError(
                    409,
                    ApiError.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an" + " earlier schema for subject \"" + subject
                            + "\" (compatibility " + level + "): " + problems);
        }
        final int id = idsBySchema.getOrDefault(canonical, maxId + 1);
        final int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        final SubjectVersion entry = new SubjectVersion(subject, version, id, canonical);
        topic.append(schemaKey(subject, version), json(schemaValue(entry)));
        apply(entry);
        LOG.info(
                "Registered schema {} under subject '{}' as version {} with id {}",
                schema.getFullName(),
                subject,
                version,
                id);
        return new Registration(id, version, true);
    }

    /** Returns why {@code schemaText} may not be registered under {@code subject} now; empty when it may. */
    synchronized List<String> checkAgainstAll(String subject, String schemaText) {
        final Schema schema = parse(schemaText);
        final TreeMap<Integer, SubjectVersion> versions = subjects.getOrDefault(subject, new TreeMap<>());
        return effectiveLevel(subject).check(schema, history(versions));
    }

    /** Returns why {@code schemaText} is not compatible with {@code version} of {@code subject} under its level. */
    synchronized List<String> checkAgainst(String subject, String schemaText, Optional<Integer> version) {
        final Schema schema = parse(schemaText);
        final SubjectVersion target = version(subject, version);
        if (version.isEmpty()) {
            return effectiveLevel(subject).check(schema, history(subjects.get(subject)));
        }
        return effectiveLevel(subject)
                .checkPair(schema, new CompatibilityLevel.Version(target.version(), parsed(target.id())));
    }

    /** Returns the schema text of a global id. */
    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** Returns the subjects, in name order. */
    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** Returns the version numbers of a subject, oldest first. */
    synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsOf(subject).keySet());
    }

    /** Returns a version of a subject, the latest when {@code version} is empty. */
    synchronized SubjectVersion version(String subject, Optional<Integer> version) {
        final TreeMap<Integer, SubjectVersion> versions = versionsOf(subject);
        if (version.isEmpty()) {
            return versions.lastEntry().getValue();
        }
        final SubjectVersion found = versions.get(version.get());
        if (found == null) {
            throw ApiError.versionNotFound(subject, version.get());
        }
        return found;
    }

    /** Returns the global compatibility level. */
    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** Returns the level configured for a subject itself, if any. */
    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the global compatibility level, or a subject's when {@code subject} is non-empty. */
    synchronized void setLevel(Optional<String> subject, CompatibilityLevel level) {
        final Map<String, Object> value = new LinkedHashMap<>();
        value.put("compatibilityLevel", level.name());
        topic.append(configKey(subject.orElse(null)), json(value));
        applyLevel(subject.orElse(null), level);
        LOG.info(
                "Compatibility of {} set to {}",
                subject.map(s -> "subject '" + s + "'").orElse("the registry"),
                level);
    }

    @Override
    public void close() {
        topic.close();
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private TreeMap<Integer, SubjectVersion> versionsOf(String subject) {
        final TreeMap<Integer, SubjectVersion> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw ApiError.subjectNotFound(subject);
        }
        return versions;
    }

    private List<CompatibilityLevel.Version> history(TreeMap<Integer, SubjectVersion> versions) {
        final List<CompatibilityLevel.Version> history = new ArrayList<>();
        for (SubjectVersion v : versions.values()) {
            history.add(new CompatibilityLevel.Version(v.version(), parsed(v.id())));
        }
        return history;
    }

    private Schema parsed(int id) {
        return parsedById.computeIfAbsent(id, key -> new Schema.Parser().parse(schemasById.get(key)));
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw ApiError.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            throw ApiError.invalidSchema(e.getMessage());
        }
    }

    private void apply(SubjectVersion entry) {
        subjects.computeIfAbsent(entry.subject(), s -> new TreeMap<>()).put(entry.version(), entry);
        schemasById.putIfAbsent(entry.id(), entry.schema());
        idsBySchema.putIfAbsent(entry.schema(), entry.id());
        maxId = Math.max(maxId, entry.id());
    }

    private void applyLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level == null ? DEFAULT_LEVEL : level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    /** Applies one record of the topic; records of kinds this registry does not write are skipped. */
    private void replay(String keyText, String valueText) {
        try {
            final JsonNode key = JSON.readTree(keyText);
            final String keytype = key.path("keytype").asText();
            final JsonNode value = valueText == null ? null : JSON.readTree(valueText);
            final String subject =
                    key.path("subject").isTextual() ? key.get("subject").asText() : null;
            if (SCHEMA_KEY.equals(keytype)) {
                final int version = key.path("version").asInt();
                if (value == null || value.path("deleted").asBoolean(false)) {
                    final TreeMap<Integer, SubjectVersion> versions = subjects.get(subject);
                    if (versions != null) {
                        versions.remove(version);
                        if (versions.isEmpty()) {
                            subjects.remove(subject);
                        }
                    }
                    return;
                }
                apply(new SubjectVersion(
                        value.path("subject").asText(),
                        value.path("version").asInt(),
                        value.path("id").asInt(),
                        value.path("schema").asText()));
            } else if (CONFIG_KEY.equals(keytype)) {
                final Optional<CompatibilityLevel> level = value == null
                        ? Optional.empty()
                        : CompatibilityLevel.parse(
                                value.path("compatibilityLevel").asText(null));
                applyLevel(subject, level.orElse(null));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable record of schemas topic {}: key {} ({})", topic.name(), keyText, e.toString());
        }
    }

    private static String schemaKey(String subject, int version) {
        final Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", SCHEMA_KEY);
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return json(key);
    }

    private static String configKey(String subject) {
        final Map<String, Object> key = new LinkedHashMap<>();
        key.put("keytype", CONFIG_KEY);
        key.put("subject", subject);
        key.put("magic", 0);
        return json(key);
    }

    private static Map<String, Object> schemaValue(SubjectVersion entry) {
        final Map<String, Object> value = new LinkedHashMap<>();
        value.put("subject", entry.subject());
        value.put("version", entry.version());
        value.put("id", entry.id());
        value.put("schema", entry.schema());
        value.put("deleted", false);
        return value;
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
