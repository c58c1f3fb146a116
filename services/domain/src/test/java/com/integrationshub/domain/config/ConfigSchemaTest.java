package com.integrationshub.domain.config;

import static com.integrationshub.domain.Fixtures.config;
import static com.integrationshub.domain.Fixtures.json;
import static com.integrationshub.domain.Fixtures.optional;
import static com.integrationshub.domain.Fixtures.required;
import static com.integrationshub.domain.Fixtures.secret;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.FieldError;
import com.integrationshub.domain.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSchemaTest {

    /** One kind of value of the Avro config union, the schema type it belongs to, and how errors describe it. */
    private record ValueKind(String name, ConfigFieldType type, Object value, String described) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<ValueKind> KINDS = List.of(
            new ValueKind("String", ConfigFieldType.STRING, "https://halo.example", "a string"),
            new ValueKind("Long", ConfigFieldType.INT, 30L, "an integer"),
            new ValueKind("Boolean", ConfigFieldType.BOOL, Boolean.TRUE, "a boolean"),
            new ValueKind("JsonText", ConfigFieldType.JSON, json("{\"a\": [1, 2]}"), "JSON object"),
            new ValueKind("SealedSecret", ConfigFieldType.SECRET, secret("sealed"), "a secret"));

    private static Stream<Arguments> everyTypeWithEveryValueKind() {
        List<Arguments> cases = new ArrayList<>();
        for (ConfigFieldType type : ConfigFieldType.values()) {
            for (ValueKind kind : KINDS) {
                cases.add(Arguments.of(type, kind));
            }
        }
        return cases.stream();
    }

    private static List<FieldError> validate(ConfigFieldType type, Object value) {
        ConfigSchema schema = new ConfigSchema(List.of(optional("k", type)));
        return schema.validateValues(config("k", value), "config");
    }

    @Nested
    class TypeMatrix {

        @ParameterizedTest(name = "{0} field given a {1}")
        @MethodSource("com.integrationshub.domain.config.ConfigSchemaTest#everyTypeWithEveryValueKind")
        void shouldAcceptOnlyTheValueKindOfTheFieldType(ConfigFieldType type, ValueKind kind) {
            List<FieldError> errors = validate(type, kind.value());

            if (kind.type() == type) {
                assertEquals(List.of(), errors, "a " + kind + " value for a " + type + " field should be accepted");
            } else {
                assertEquals(
                        1,
                        errors.size(),
                        () -> "a " + kind + " value for a " + type + " field should give one error, got " + errors);
                FieldError error = errors.get(0);
                assertEquals("config.k", error.getField(), "field path of the type error");
                String expectedType = "must be of type " + type.name().toLowerCase();
                assertTrue(
                        error.getMessage().contains(expectedType),
                        () -> "message should contain '" + expectedType + "' but was '" + error.getMessage() + "'");
                assertTrue(
                        error.getMessage().contains("got " + kind.described()),
                        () -> "message should say it got " + kind.described() + " but was '" + error.getMessage()
                                + "'");
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "[1, 2]", "\"text\"", "42", "null", "true"})
        void shouldAcceptAnyJsonValueForJsonField(String jsonText) {
            assertEquals(
                    List.of(),
                    validate(ConfigFieldType.JSON, json(jsonText)),
                    "JSON " + jsonText + " for a json field should be accepted");
        }

        @Test
        void shouldRefusePlainStringForSecretField() {
            List<FieldError> errors = validate(ConfigFieldType.SECRET, "clear-text-password");

            assertEquals(
                    List.of(new FieldError("config.k", "must be of type secret, got a string")),
                    errors,
                    "a secret must arrive sealed");
        }

        @Test
        void shouldRefuseNumericStringForIntField() {
            List<FieldError> errors = validate(ConfigFieldType.INT, "30");

            assertEquals(
                    List.of(new FieldError("config.k", "must be of type int, got a string")),
                    errors,
                    "\"30\" is a string, not an int");
        }

        @Test
        void shouldNameTheKindOfJsonInTypeError() {
            assertEquals(
                    "must be of type string, got JSON array",
                    validate(ConfigFieldType.STRING, json(" [1]")).get(0).getMessage(),
                    "message for a JSON array");
            assertEquals(
                    "must be of type string, got JSON null",
                    validate(ConfigFieldType.STRING, json("null")).get(0).getMessage(),
                    "message for JSON null");
            assertEquals(
                    "must be of type int, got JSON string",
                    validate(ConfigFieldType.INT, json("\"30\"")).get(0).getMessage(),
                    "message for a JSON string");
            assertEquals(
                    "must be of type string, got JSON number",
                    validate(ConfigFieldType.STRING, json("4.5")).get(0).getMessage(),
                    "message for a JSON number");
        }

        @Test
        void shouldDescribeJsonBooleanAsBooleanInTypeError() {
            assertEquals(
                    "must be of type bool, got JSON boolean",
                    validate(ConfigFieldType.BOOL, json("true")).get(0).getMessage(),
                    "message for JSON true");
            assertEquals(
                    "must be of type string, got JSON boolean",
                    validate(ConfigFieldType.STRING, json("false")).get(0).getMessage(),
                    "message for JSON false");
        }
    }

    @Nested
    class Values {

        private final ConfigSchema schema = new ConfigSchema(Fixtures.haloSchema());

        @Test
        void shouldAcceptValuesMatchingTheirFields() {
            List<FieldError> errors = schema.validateValues(
                    config("base_url", "https://halo.example", "api_key", secret("k"), "timeout", 30L), "config");

            assertEquals(List.of(), errors, "values of the right types");
        }

        @Test
        void shouldAcceptEmptyValues() {
            assertEquals(List.of(), schema.validateValues(Map.of(), "config"), "no values at all");
        }

        @Test
        void shouldRejectUnknownKeyNamingIt() {
            List<FieldError> errors = schema.validateValues(config("custom_field", "value"), "config");

            assertEquals(1, errors.size(), () -> "one error expected, got " + errors);
            assertEquals("config.custom_field", errors.get(0).getField(), "field path of the unknown key");
            assertTrue(
                    errors.get(0).getMessage().startsWith("unknown key")
                            && errors.get(0).getMessage().contains("'custom_field'"),
                    () -> "message should say unknown key 'custom_field' but was '"
                            + errors.get(0).getMessage() + "'");
        }

        @Test
        void shouldListEveryBadFieldUnderTheGivenPath() {
            List<FieldError> errors = schema.validateValues(
                    config("base_url", 1L, "nope", "x", "timeout", "slow", "api_key", secret("fine")),
                    "mappings.org-1.config");

            assertEquals(
                    List.of(
                            "mappings.org-1.config.base_url",
                            "mappings.org-1.config.nope",
                            "mappings.org-1.config.timeout"),
                    errors.stream().map(FieldError::getField).toList(),
                    "every bad field, in the order given");
        }

        @Test
        void shouldFindFieldByKey() {
            assertEquals(
                    ConfigFieldType.INT, schema.field("timeout").orElseThrow().getType(), "type of timeout");
            assertTrue(schema.field("nope").isEmpty(), "no field for an unknown key");
        }
    }

    @Nested
    class Required {

        private final ConfigSchema schema = new ConfigSchema(
                List.of(required("base_url", ConfigFieldType.STRING), optional("timeout", ConfigFieldType.INT)));

        @Test
        void shouldBeSatisfiedByDefaultsOnly() {
            Map<String, Object> merged = MergedConfig.merge(config("base_url", "https://d"), config("timeout", 5L));

            assertEquals(List.of(), schema.validateRequired(merged, "config"), "required key set in the defaults");
        }

        @Test
        void shouldBeSatisfiedByOverridesOnly() {
            Map<String, Object> merged = MergedConfig.merge(config(), config("base_url", "https://o"));

            assertEquals(List.of(), schema.validateRequired(merged, "config"), "required key set in the overrides");
        }

        @Test
        void shouldReportRequiredKeyMissingFromBoth() {
            Map<String, Object> merged = MergedConfig.merge(config("timeout", 5L), config("timeout", 6L));

            List<FieldError> errors = schema.validateRequired(merged, "config");

            assertEquals(
                    List.of("config.base_url"),
                    errors.stream().map(FieldError::getField).toList(),
                    "the missing required key");
            assertTrue(
                    errors.get(0).getMessage().startsWith("required"),
                    () -> "message should start with 'required' but was '"
                            + errors.get(0).getMessage() + "'");
        }

        @Test
        void shouldNotRequireOptionalKeys() {
            assertEquals(
                    List.of(),
                    schema.validateRequired(config("base_url", "https://x"), "config"),
                    "timeout is optional");
        }

        @Test
        void shouldListEveryMissingRequiredKey() {
            ConfigSchema two = new ConfigSchema(
                    List.of(required("a", ConfigFieldType.STRING), required("b", ConfigFieldType.BOOL)));

            assertEquals(
                    List.of("config.a", "config.b"),
                    two.validateRequired(config(), "config").stream()
                            .map(FieldError::getField)
                            .toList(),
                    "both required keys");
        }
    }

    @Nested
    class Definition {

        @Test
        void shouldAcceptWellFormedSchema() {
            assertEquals(
                    List.of(),
                    ConfigSchema.checkDefinition(Fixtures.haloSchema(), "config_schema"),
                    "the HaloPSA schema");
        }

        @Test
        void shouldAcceptEmptySchema() {
            assertEquals(List.of(), ConfigSchema.checkDefinition(List.of(), "config_schema"), "an empty schema");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "base url", "a/b", "ключ", "tab\tkey"})
        void shouldRejectBadKeyNameAtItsIndex(String badKey) {
            List<ConfigField> fields =
                    List.of(optional("ok", ConfigFieldType.STRING), optional(badKey, ConfigFieldType.INT));

            List<FieldError> errors = ConfigSchema.checkDefinition(fields, "config_schema");

            assertEquals(1, errors.size(), () -> "one error for key '" + badKey + "', got " + errors);
            assertEquals("config_schema[1].key", errors.get(0).getField(), "path of the bad key");
            assertTrue(
                    errors.get(0).getMessage().contains("[A-Za-z0-9_.-]{1,128}"),
                    () -> "message should give the pattern but was '"
                            + errors.get(0).getMessage() + "'");
        }

        @Test
        void shouldRejectKeyLongerThan128Characters() {
            List<ConfigField> fields = List.of(
                    optional("k".repeat(128), ConfigFieldType.STRING),
                    optional("k".repeat(129), ConfigFieldType.STRING));

            assertEquals(
                    List.of("config_schema[1].key"),
                    ConfigSchema.checkDefinition(fields, "config_schema").stream()
                            .map(FieldError::getField)
                            .toList(),
                    "128 characters pass, 129 do not");
        }

        @Test
        void shouldRejectDuplicateKeyAtItsSecondOccurrence() {
            List<ConfigField> fields = List.of(
                    optional("timeout", ConfigFieldType.INT),
                    optional("base_url", ConfigFieldType.STRING),
                    optional("timeout", ConfigFieldType.STRING));

            List<FieldError> errors = ConfigSchema.checkDefinition(fields, "config_schema");

            assertEquals(
                    List.of(new FieldError("config_schema[2].key", "duplicate key 'timeout'")),
                    errors,
                    "the second timeout");
        }
    }
}
