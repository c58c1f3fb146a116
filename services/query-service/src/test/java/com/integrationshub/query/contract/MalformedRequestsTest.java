package com.integrationshub.query.contract;

import static com.integrationshub.query.contract.ProblemAssert.assertInvalidFields;
import static com.integrationshub.query.contract.ProblemAssert.assertProblem;
import static com.integrationshub.query.contract.ProblemAssert.assertProblemJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed requests to the write endpoints: each one answers a 4xx application/problem+json (never a
 * 5xx), and after the whole corpus the events topic holds exactly what it held before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestsTest {

    private static final String CREATE = "/v1/integrations";
    private static final String PATCH = "/v1/integrations/Target";
    private static final String DEFAULTS = "/v1/integrations/Target/defaults";
    private static final String MAPPING = "/v1/integrations/Target/mappings/org-1";
    private static final int ANY_4XX = 0;
    private static final int ONE_MIB = 1024 * 1024;

    private static HubInstance hub;
    private static HubInstance.Deployment deployment;
    private static Http admin;
    private static RawHttp raw;
    private static BrokerTopics topics;
    private static Map<TopicPartition, Long> eventsBefore;
    private static String targetBefore;
    private static String mappingBefore;

    /** One malformed request and the status it must get (ANY_4XX when several 4xx would be right). */
    record Case(
            String label,
            String method,
            String path,
            byte[] body,
            Map<String, String> headers,
            boolean chunked,
            int expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    @BeforeAll
    static void start() {
        // Production's outbound guard (the fixture relaxes it for the OAuth stand-in, which this test does not use).
        deployment = HubInstance.Deployment.fresh(
                Map.of("hub.oauth.allow-insecure-http", false, "hub.oauth.allow-loopback", false));
        hub = HubInstance.start(deployment);
        admin = new Http(hub.url(), TestTokens.admin());
        raw = new RawHttp(hub.url(), TestTokens.admin());
        topics = new BrokerTopics((String) deployment.properties().get("hub.kafka.bootstrap-servers"));
        Await.ready(admin);
        assertEquals(201, admin.post(CREATE, """
                {"name": "Target", "auth_scheme": "API_KEY",
                 "config_schema": [{"key": "base_url", "type": "string", "required": true},
                                   {"key": "api_key", "type": "secret"}, {"key": "timeout", "type": "int"},
                                   {"key": "verbose", "type": "bool"}, {"key": "extra", "type": "json"}]}""").status(), "create Target");
        assertEquals(
                200,
                admin.put(DEFAULTS, "{\"config\": {\"base_url\": \"https://target\", \"timeout\": 5}}")
                        .status(),
                "defaults");
        assertEquals(
                201,
                admin.put(MAPPING, "{\"entity_id\": \"t-1\", \"config\": {\"verbose\": true}}")
                        .status(),
                "mapping");
        eventsBefore = topics.endOffsets(deployment.eventsTopic());
        assertTrue(
                eventsBefore.values().stream().mapToLong(Long::longValue).sum() >= 3,
                "the setup's three events are on the events topic: " + eventsBefore);
        targetBefore = admin.get(PATCH).body();
        mappingBefore = admin.get(MAPPING).body();
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    static List<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> bodyEndpoints =
                Map.of("POST", CREATE, "PATCH", PATCH, "PUT defaults", DEFAULTS, "PUT mapping", MAPPING);

        // Not JSON, or JSON that is not one object: 400 on every endpoint with a body.
        List<String> notAnObject = List.of(
                "{",
                "}",
                "{\"name\": }",
                "not json",
                "{'name': 'x'}",
                "{\"a\": 1,}",
                "{\"a\": 1} {\"b\": 2}",
                "",
                "   ",
                "null",
                "\"a string\"",
                "42",
                "[]",
                "[{\"entity_id\": \"t\"}]",
                "{\"entity_id\": \"t\", \"config\": {\"timeout\": 1",
                "{\"a\": \"unterminated}",
                "{\"a\": tru}",
                "{\"a\": NaN}",
                "{\"a\": 01}",
                "{\"a\": .5}",
                "{\"a\": \"\\x41\"}",
                "{\"a\": \"raw\u0001control\"}",
                "{\"a\": \"raw\u0000nul\"}",
                "/* comment */ {}",
                "{a: 1}");
        bodyEndpoints.forEach((label, path) -> {
            String method = label.startsWith("PUT") ? "PUT" : label;
            for (String body : notAnObject)
                cases.add(json(label + " body " + printable(body), method, path, body, 400));
            cases.add(json(label + " duplicate keys", method, path, "{\"x\": 1, \"x\": 2}", 400));
            cases.add(json(label + " 10,000 [", method, path, "[".repeat(10_000), 400));
            cases.add(json(label + " 10,000 nested objects", method, path, "{\"a\":".repeat(10_000), 400));
            cases.add(json(
                    label + " over 1 MiB", method, path, "{\"description\": \"" + "x".repeat(ONE_MIB) + "\"}", 413));
            cases.add(bytes(
                    label + " invalid UTF-8",
                    method,
                    path,
                    new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                    jsonType(),
                    ANY_4XX));
            cases.add(json(label + " number of 2,000 digits", method, path, "{\"x\": " + "9".repeat(2000) + "}", 400));
            cases.add(bytes(
                    label + " as text/plain",
                    method,
                    path,
                    utf8(validBodyFor(label)),
                    Map.of("Content-Type", "text/plain"),
                    415));
        });
        // Size budgets (API.md, Conventions): a body over 512 KiB is a 413 even under the server's 1 MiB; one value
        // over 64 KiB or one list or object over 1,000 entries is a 422.
        String overBodyBudget = "x".repeat(512 * 1024);
        String overValueBudget = "v".repeat(64 * 1024 + 1);
        cases.add(json(
                "POST over 512 KiB",
                "POST",
                CREATE,
                "{\"name\": \"Big\", \"auth_scheme\": \"NO_AUTH\", " + "\"description\": \"" + overBodyBudget + "\"}",
                413));
        cases.add(json("PATCH over 512 KiB", "PATCH", PATCH, "{\"description\": \"" + overBodyBudget + "\"}", 413));
        cases.add(json(
                "PUT defaults over 512 KiB",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"base_url\": \"" + overBodyBudget + "\"}}",
                413));
        cases.add(json(
                "PUT mapping over 512 KiB",
                "PUT",
                MAPPING,
                "{\"entity_id\": \"t\", \"entity_name\": \"" + overBodyBudget + "\"}",
                413));
        cases.add(new Case(
                "PUT defaults over 512 KiB chunked",
                "PUT",
                DEFAULTS,
                utf8("{\"config\": {\"base_url\": \"" + overBodyBudget + "\"}}"),
                jsonType(),
                true,
                413));
        cases.add(json(
                "POST description over 64 KiB",
                "POST",
                CREATE,
                "{\"name\": \"Big\", \"auth_scheme\": \"NO_AUTH\", " + "\"description\": \"" + overValueBudget + "\"}",
                422));
        cases.add(json(
                "PATCH credential header over 64 KiB",
                "PATCH",
                PATCH,
                "{\"credential_headers\": {\"A\": \"" + overValueBudget + "\"}}",
                422));
        cases.add(json(
                "PUT defaults string over 64 KiB",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"base_url\": \"" + overValueBudget + "\"}}",
                422));
        cases.add(json(
                "PUT defaults secret over 64 KiB",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"api_key\": \"" + overValueBudget + "\"}}",
                422));
        cases.add(json(
                "PUT defaults json value over 64 KiB",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"extra\": " + bigJsonValue() + "}}",
                422));
        cases.add(json(
                "PUT defaults key over 64 KiB",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"" + overValueBudget + "\": 1}}",
                422));
        cases.add(json(
                "PUT mapping entity_id over 64 KiB",
                "PUT",
                MAPPING,
                "{\"entity_id\": \"" + overValueBudget + "\"}",
                422));
        cases.add(json(
                "POST 1,001 schema entries",
                "POST",
                CREATE,
                "{\"name\": \"Big\", \"auth_scheme\": \"NO_AUTH\", " + "\"config_schema\": "
                        + schemaEntries(1001, "string") + "}",
                422));
        cases.add(json(
                "PATCH 1,001 credential headers",
                "PATCH",
                PATCH,
                "{\"credential_headers\": " + stringMap(1001) + "}",
                422));
        cases.add(
                json("PUT defaults 1,001 config keys", "PUT", DEFAULTS, "{\"config\": " + stringMap(1001) + "}", 422));
        cases.add(json(
                "PUT mapping 1,001 config keys",
                "PUT",
                MAPPING,
                "{\"entity_id\": \"t\", \"config\": " + stringMap(1001) + "}",
                422));
        cases.add(json(
                "PUT defaults json value of 1,001 entries",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"extra\": " + numbers(1001) + "}}",
                422));

        cases.add(new Case(
                "POST over 1 MiB chunked",
                "POST",
                CREATE,
                utf8("{\"name\": \"Big\", \"auth_scheme\": \"NO_AUTH\", " + "\"description\": \"" + "x".repeat(ONE_MIB)
                        + "\"}"),
                jsonType(),
                true,
                413));
        cases.add(new Case(
                "PUT defaults over 1 MiB chunked",
                "PUT",
                DEFAULTS,
                utf8("{\"config\": {\"base_url\": \"" + "x".repeat(ONE_MIB) + "\"}}"),
                jsonType(),
                true,
                413));
        cases.add(new Case(
                "PUT mapping deep config",
                "PUT",
                MAPPING,
                utf8("{\"entity_id\": \"t\", \"config\": {\"extra\": " + "[".repeat(10_000) + "]".repeat(10_000)
                        + "}}"),
                jsonType(),
                false,
                400));
        cases.add(json(
                "PUT defaults deep json value",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"extra\": " + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}}",
                400));

        // Wrong media types for a body that would otherwise be accepted.
        cases.add(bytes(
                "POST as application/xml",
                "POST",
                CREATE,
                utf8("<integration name=\"X\"/>"),
                Map.of("Content-Type", "application/xml"),
                415));
        cases.add(bytes(
                "POST as form",
                "POST",
                CREATE,
                utf8("name=X&auth_scheme=NO_AUTH"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                415));
        cases.add(bytes(
                "PUT mapping as multipart",
                "PUT",
                MAPPING,
                utf8("--b\r\n\r\n{}\r\n--b--"),
                Map.of("Content-Type", "multipart/form-data; boundary=b"),
                415));
        cases.add(bytes(
                "POST as octet-stream",
                "POST",
                CREATE,
                utf8(validBodyFor("POST")),
                Map.of("Content-Type", "application/octet-stream"),
                415));

        // Create: wrong types for every member, missing members, bad names, unknown members.
        for (String member : List.of(
                "\"name\": 42",
                "\"name\": true",
                "\"name\": null",
                "\"name\": []",
                "\"name\": {}",
                "\"name\": \"\"",
                "\"name\": \"has space\"",
                "\"name\": \"a/b\"",
                "\"name\": \"ümlaut\"",
                "\"name\": \"🎉\"",
                "\"name\": \"" + "n".repeat(129) + "\"",
                "\"name\": \"a\\u0000b\"",
                "\"name\": \"a\\nb\"",
                "\"name\": \" lead\"")) {
            cases.add(json(
                    "POST " + printable(member),
                    "POST",
                    CREATE,
                    "{" + member + ", \"auth_scheme\": \"NO_AUTH\"}",
                    422));
        }
        for (String member : List.of(
                "\"description\": 1",
                "\"description\": []",
                "\"description\": {}",
                "\"auth_scheme\": 1",
                "\"auth_scheme\": null",
                "\"auth_scheme\": \"oauth2\"",
                "\"auth_scheme\": \"SAML\"",
                "\"auth_scheme\": \"\"",
                "\"entity_id_name\": true",
                "\"entity_id_name\": {}",
                "\"config_schema\": {}",
                "\"config_schema\": \"x\"",
                "\"config_schema\": 1",
                "\"config_schema\": [1]",
                "\"config_schema\": [\"a\"]",
                "\"config_schema\": [{\"key\": 1, \"type\": \"string\"}]",
                "\"config_schema\": [{\"key\": \"a\", \"type\": \"float\"}]",
                "\"config_schema\": [{\"key\": \"a\", \"type\": 1}]",
                "\"config_schema\": [{\"key\": \"a\", \"type\": \"string\", \"required\": \"yes\"}]",
                "\"config_schema\": [{\"key\": \"a\"}]",
                "\"config_schema\": [{\"type\": \"string\"}]",
                "\"config_schema\": [{\"key\": \"a\", \"type\": \"string\", \"default\": 1}]",
                "\"config_schema\": [{\"key\": \"a\", \"type\": \"string\"}, {\"key\": \"a\", \"type\": \"int\"}]",
                "\"config_schema\": [{\"key\": \"bad key\", \"type\": \"string\"}]",
                "\"config_schema\": [{\"key\": \"\", \"type\": \"string\"}]",
                "\"config_schema\": [{\"key\": \"🔑\", \"type\": \"secret\"}]",
                "\"oauth_connection\": 1",
                "\"oauth_connection\": \"bad name\"",
                "\"oauth_connection\": \"\"",
                "\"credential_headers\": []",
                "\"credential_headers\": \"x\"",
                "\"credential_headers\": {\"A\": 1}",
                "\"credential_headers\": {\"A\": null}",
                "\"credential_headers\": {\"A\": {}}",
                "\"nme\": \"typo\"",
                "\"id\": \"forged\"",
                "\"version\": 5",
                "\"defaults\": {}")) {
            String others = member.startsWith("\"auth_scheme\"")
                    ? "\"name\": \"Fresh\", "
                    : "\"name\": \"Fresh\", \"auth_scheme\": \"NO_AUTH\", ";
            cases.add(json("POST " + printable(member), "POST", CREATE, "{" + others + member + "}", 422));
        }
        cases.add(json("POST without name and auth_scheme", "POST", CREATE, "{}", 422));
        cases.add(json("POST without auth_scheme", "POST", CREATE, "{\"name\": \"Fresh\"}", 422));
        cases.add(json("POST without name", "POST", CREATE, "{\"auth_scheme\": \"NO_AUTH\"}", 422));

        // PATCH: wrong types, fields that may not change, unknown members.
        for (String body : List.of(
                "{\"description\": 1}",
                "{\"entity_id_name\": []}",
                "{\"config_schema\": \"x\"}",
                "{\"config_schema\": [{\"key\": \"a\", \"type\": \"nope\"}]}",
                "{\"oauth_connection\": 5}",
                "{\"oauth_connection\": \"has space\"}",
                "{\"credential_headers\": 5}",
                "{\"credential_headers\": {\"A\": 5}}",
                "{\"name\": \"Renamed\"}",
                "{\"auth_scheme\": \"BASIC\"}",
                "{\"foo\": 1}",
                "{\"version\": 9}",
                "{\"defaults\": {\"base_url\": \"x\"}}")) {
            cases.add(json("PATCH " + printable(body), "PATCH", PATCH, body, 422));
        }

        // Defaults: missing or non-object config, wrong types for every config type, numbers out of range, unknown
        // keys.
        for (String body : List.of(
                "{}",
                "{\"config\": []}",
                "{\"config\": \"x\"}",
                "{\"config\": 5}",
                "{\"config\": {\"timeout\": \"30\"}}",
                "{\"config\": {\"timeout\": 1.5}}",
                "{\"config\": {\"timeout\": 9223372036854775808}}",
                "{\"config\": {\"timeout\": -9223372036854775809}}",
                "{\"config\": {\"timeout\": 1e400}}",
                "{\"config\": {\"timeout\": 1e-400}}",
                "{\"config\": {\"timeout\": true}}",
                "{\"config\": {\"verbose\": \"true\"}}",
                "{\"config\": {\"verbose\": 1}}",
                "{\"config\": {\"base_url\": 5}}",
                "{\"config\": {\"base_url\": null}}",
                "{\"config\": {\"base_url\": {}}}",
                "{\"config\": {\"api_key\": 5}}",
                "{\"config\": {\"api_key\": {}}}",
                "{\"config\": {\"api_key\": null}}",
                "{\"config\": {\"api_key\": []}}",
                "{\"config\": {\"nope\": 1}}",
                "{\"config\": {\"🎉\": 1}}",
                "{\"config\": {\"\": 1}}",
                "{\"config\": {\"base_url\\u0000\": \"x\"}}",
                "{\"config\": {}, \"extra\": 1}",
                "{\"config\": {\"base_url\": \"x\"}, \"config2\": {}}",
                "{\"config\": null}")) {
            cases.add(json("PUT defaults " + printable(body), "PUT", DEFAULTS, body, 422));
        }

        // Mappings: entity_id required and a string, every member's type, overrides checked like defaults.
        for (String body : List.of(
                "{}",
                "{\"entity_id\": null}",
                "{\"entity_id\": 5}",
                "{\"entity_id\": \"\"}",
                "{\"entity_id\": []}",
                "{\"entity_id\": {}}",
                "{\"entity_id\": \"t\", \"entity_name\": 5}",
                "{\"entity_id\": \"t\", \"entity_name\": {}}",
                "{\"entity_id\": \"t\", \"oauth_token_id\": 5}",
                "{\"entity_id\": \"t\", \"oauth_token_id\": []}",
                "{\"entity_id\": \"t\", \"config\": []}",
                "{\"entity_id\": \"t\", \"config\": \"x\"}",
                "{\"entity_id\": \"t\", \"config\": 5}",
                "{\"entity_id\": \"t\", \"config\": {\"timeout\": \"x\"}}",
                "{\"entity_id\": \"t\", \"config\": {\"nope\": 1}}",
                "{\"entity_id\": \"t\", \"config\": {\"api_key\": {}}}",
                "{\"entity_id\": \"t\", \"config\": {\"api_key\": 5}}",
                "{\"entity_id\": \"t\", \"config\": {\"verbose\": \"yes\"}}",
                "{\"entity_id\": \"t\", \"config\": {\"timeout\": 99999999999999999999999}}",
                "{\"entity_id\": \"t\", \"org_id\": \"other\"}",
                "{\"entity_id\": \"t\", \"version\": 3}")) {
            cases.add(json("PUT mapping " + printable(body), "PUT", MAPPING, body, 422));
        }

        // Bad names in the path: too long, spaces, encoded slashes, unicode, emoji, NUL, control characters.
        String tooLong = "n".repeat(129);
        for (String org : List.of(
                "%20",
                "a%20b",
                "a%2Fb",
                "%C3%A9t%C3%A9",
                "%F0%9F%8E%89",
                "a%00b",
                tooLong,
                "a%0Ab",
                "a%25b",
                "a:b",
                "a@b",
                "a%09b")) {
            cases.add(json(
                    "PUT mapping org " + org,
                    "PUT",
                    "/v1/integrations/Target/mappings/" + org,
                    "{\"entity_id\": \"t\"}",
                    422));
        }
        for (String name : List.of("a%20b", "a%2Fb", tooLong, "%F0%9F%8E%89", "a%00b")) {
            cases.add(json(
                    "PUT defaults of integration " + name,
                    "PUT",
                    "/v1/integrations/" + name + "/defaults",
                    "{\"config\": {}}",
                    422));
            cases.add(json(
                    "PUT mapping of integration " + name,
                    "PUT",
                    "/v1/integrations/" + name + "/mappings/org-1",
                    "{\"entity_id\": \"t\"}",
                    422));
        }
        cases.add(json(
                "PATCH integration too long", "PATCH", "/v1/integrations/" + tooLong, "{\"description\": \"x\"}", 422));
        cases.add(json(
                "PATCH integration encoded slash",
                "PATCH",
                "/v1/integrations/Target%2Fx",
                "{\"description\": \"x\"}",
                422));
        cases.add(bytes(
                "DELETE integration encoded slash", "DELETE", "/v1/integrations/Target%2Fx", null, Map.of(), 422));
        cases.add(bytes("DELETE integration too long", "DELETE", "/v1/integrations/" + tooLong, null, Map.of(), 422));
        cases.add(bytes(
                "DELETE mapping org with space",
                "DELETE",
                "/v1/integrations/Target/mappings/org%201",
                null,
                Map.of(),
                422));
        cases.add(bytes(
                "DELETE mapping org emoji",
                "DELETE",
                "/v1/integrations/Target/mappings/%F0%9F%8E%89",
                null,
                Map.of(),
                422));
        cases.add(json(
                "PUT mapping org a+b",
                "PUT",
                "/v1/integrations/Target/mappings/a+b",
                "{\"entity_id\": \"t\"}",
                ANY_4XX));
        cases.add(json(
                "PUT mapping empty org",
                "PUT",
                "/v1/integrations/Target/mappings/",
                "{\"entity_id\": \"t\"}",
                ANY_4XX));
        cases.add(json("PUT defaults empty name", "PUT", "/v1/integrations//defaults", "{\"config\": {}}", ANY_4XX));
        cases.add(json("PATCH empty name", "PATCH", "/v1/integrations/", "{\"description\": \"x\"}", ANY_4XX));

        // If-Match that is not the current version (garbage included): 412, nothing applied.
        cases.add(withHeader(
                "PATCH If-Match garbage", "PATCH", PATCH, "{\"description\": \"x\"}", "If-Match", "garbage", 412));
        cases.add(withHeader(
                "PATCH If-Match \"abc\"", "PATCH", PATCH, "{\"description\": \"x\"}", "If-Match", "\"abc\"", 412));
        cases.add(
                withHeader("PATCH If-Match \"\"", "PATCH", PATCH, "{\"description\": \"x\"}", "If-Match", "\"\"", 412));
        cases.add(withHeader(
                "PUT defaults If-Match W/\"x\"",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"base_url\": \"y\"}}",
                "If-Match",
                "W/\"x\"",
                412));
        cases.add(withHeader(
                "PUT defaults If-Match \"1.5\"",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"base_url\": \"y\"}}",
                "If-Match",
                "\"1.5\"",
                412));
        cases.add(withHeader(
                "PUT mapping If-Match \"-1\"", "PUT", MAPPING, "{\"entity_id\": \"x\"}", "If-Match", "\"-1\"", 412));
        cases.add(withHeader(
                "PUT mapping If-Match 2^64",
                "PUT",
                MAPPING,
                "{\"entity_id\": \"x\"}",
                "If-Match",
                "\"18446744073709551616\"",
                412));
        cases.add(withHeader("DELETE integration If-Match \"999\"", "DELETE", PATCH, null, "If-Match", "\"999\"", 412));
        cases.add(withHeader("DELETE mapping If-Match nonsense", "DELETE", MAPPING, null, "If-Match", "nonsense", 412));
        cases.add(withHeader(
                "PATCH If-Match over the header limit",
                "PATCH",
                PATCH,
                "{\"description\": \"x\"}",
                "If-Match",
                "\"" + "9".repeat(20_000) + "\"",
                ANY_4XX));
        cases.add(withHeader(
                "POST with a header over the limit",
                "POST",
                CREATE,
                validBodyFor("POST"),
                "X-Padding",
                "p".repeat(20_000),
                ANY_4XX));

        // Idempotency-Key that is no name.
        cases.add(withHeader(
                "PATCH Idempotency-Key with space",
                "PATCH",
                PATCH,
                "{\"description\": \"x\"}",
                "Idempotency-Key",
                "a b",
                422));
        cases.add(withHeader(
                "PUT defaults Idempotency-Key too long",
                "PUT",
                DEFAULTS,
                "{\"config\": {\"base_url\": \"y\"}}",
                "Idempotency-Key",
                "k".repeat(129),
                422));
        cases.add(withHeader(
                "PUT mapping Idempotency-Key with slash",
                "PUT",
                MAPPING,
                "{\"entity_id\": \"x\"}",
                "Idempotency-Key",
                "a/b",
                422));
        cases.add(withHeader(
                "DELETE integration Idempotency-Key empty-ish", "DELETE", PATCH, null, "Idempotency-Key", "\"\"", 422));

        // OAuth connections pointing the hub at http or at internal addresses (the outbound guard's defaults).
        for (String urls : List.of(
                "\"token_url\": \"http://provider.example/token\"",
                "\"token_url\": \"https://127.0.0.1/token\"",
                "\"token_url\": \"https://localhost:8443/token\"",
                "\"token_url\": \"https://[::1]/token\"",
                "\"token_url\": \"https://10.0.0.8/{entity_id}/token\"",
                "\"token_url\": \"https://192.168.1.1/token\"",
                "\"token_url\": \"https://169.254.169.254/latest/meta-data/\"",
                "\"token_url\": \"https://[fe80::1]/token\"",
                "\"token_url\": \"https://0.0.0.0/token\"",
                "\"token_url\": \"https://[::ffff:127.0.0.1]/token\"",
                "\"token_url\": \"https://provider.example/token\", \"authorization_url\": \"http://provider.example/a\"",
                "\"token_url\": \"https://provider.example/token\", \"authorization_url\": \"https://172.16.0.1/a\"")) {
            cases.add(json(
                    "POST OAuth connection " + printable(urls),
                    "POST",
                    "/v1/oauth/connections",
                    "{\"connection_name\": \"guarded\", \"client_id\": \"c\", \"grant_type\": \"client_credentials\", "
                            + urls + "}",
                    422));
        }

        // Methods the endpoints do not have.
        cases.add(json("POST on an integration", "POST", PATCH, "{}", 405));
        cases.add(json("PUT on the integrations list", "PUT", CREATE, validBodyFor("POST"), 405));
        cases.add(json("POST on defaults", "POST", DEFAULTS, "{\"config\": {}}", 405));
        cases.add(json("PATCH on a mapping", "PATCH", MAPPING, "{\"entity_id\": \"x\"}", 405));
        cases.add(json("POST on a mapping", "POST", MAPPING, "{\"entity_id\": \"x\"}", 405));
        cases.add(json("DELETE on the integrations list", "DELETE", CREATE, null, 405));
        return cases;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldAnswerEveryMalformedRequestWithA4xxProblem(Case c) {
        Http.Reply reply = raw.send(c.method(), c.path(), c.body(), c.headers(), c.chunked());

        assertTrue(
                reply.status() >= 400 && reply.status() < 500,
                () -> c.label() + ": expected a 4xx, got " + reply.status() + " " + abbreviate(reply.body()));
        if (c.expected() != ANY_4XX) {
            assertEquals(
                    c.expected(),
                    reply.status(),
                    () -> c.label() + ": expected " + c.expected() + ", got " + reply.status() + " "
                            + abbreviate(reply.body()));
        }
        assertProblemJson(reply);
    }

    @Test
    @Order(1)
    void shouldListAtMostTheFirst100FieldErrors() {
        Http.Reply reply = admin.post(
                CREATE,
                "{\"name\": \"ManyBad\", \"auth_scheme\": \"NO_AUTH\", \"config_schema\": "
                        + schemaEntries(1000, "nope") + "}");

        JsonNode problem = assertInvalidFields(reply, "config_schema[0].type");
        assertEquals(
                100,
                problem.path("errors").size(),
                "expected the first 100 of 1,000 field errors, got "
                        + problem.path("errors").size() + " in a body of "
                        + reply.body().length() + " chars");
        assertTrue(
                reply.body().length() < 20_000,
                "expected a small problem, got " + reply.body().length() + " chars");
    }

    @Test
    @Order(1)
    void shouldAnswerTheIssues40000BadSchemaEntriesWithASmallProblem() {
        StringBuilder entries = new StringBuilder("[");
        for (int i = 0; i < 40_000; i++) entries.append(i == 0 ? "" : ",").append("{\"key\": 1}");
        String body = "{\"name\": \"Many\", \"auth_scheme\": \"NO_AUTH\", \"config_schema\": " + entries + "]}";
        assertTrue(body.length() < 512 * 1024, "the body is within the body budget: " + body.length());

        Http.Reply reply = admin.post(CREATE, body);

        assertInvalidFields(reply, "config_schema");
        assertTrue(
                reply.body().length() < 2_000,
                "expected a small problem, got " + reply.body().length() + " chars");
    }

    @Test
    @Order(1)
    void shouldNameTheFieldOverAValueOrListBudget() {
        String big = "v".repeat(64 * 1024 + 1);
        assertInvalidFields(admin.put(DEFAULTS, "{\"config\": {\"base_url\": \"" + big + "\"}}"), "config.base_url");
        assertInvalidFields(admin.put(DEFAULTS, "{\"config\": {\"extra\": " + bigJsonValue() + "}}"), "config.extra");
        assertInvalidFields(
                admin.patch(PATCH, "{\"credential_headers\": " + stringMap(1001) + "}"), "credential_headers");
        assertInvalidFields(
                admin.post(
                        CREATE,
                        "{\"name\": \"Big\", \"auth_scheme\": \"NO_AUTH\", \"config_schema\": "
                                + schemaEntries(1001, "string") + "}"),
                "config_schema");
        Http.Reply bigKey = admin.put(DEFAULTS, "{\"config\": {\"" + big + "\": 1}}");
        assertProblem(bigKey, 422, "validation-failed");
        assertTrue(
                bigKey.body().length() < 2_000,
                "expected the problem not to echo the 64 KiB key, got "
                        + bigKey.body().length() + " chars");
        assertProblem(
                admin.put(DEFAULTS, "{\"config\": {\"base_url\": \"" + "x".repeat(512 * 1024) + "\"}}"),
                413,
                "payload-too-large");
    }

    @Test
    @Order(1)
    void shouldNotEchoTheInputOfMalformedJson() {
        String marker = "Zq9Marker";
        for (String body : List.of(
                marker,
                "{\"a\": " + marker + "}",
                "{\"" + marker + "\": 1, \"" + marker + "\": 2}",
                "{'" + marker + "': 1}",
                "{\"a\": \"" + marker,
                "{" + marker + ": 1}",
                "[\"" + marker + "\"]",
                "{\"a\": tru" + marker + "}",
                "{\"a\": 1} " + marker,
                "{\"a\": \"\\x" + marker + "\"}")) {
            for (String path : List.of(CREATE, DEFAULTS)) {
                Http.Reply reply = path.equals(CREATE) ? admin.post(path, body) : admin.put(path, body);
                assertEquals(400, reply.status(), () -> "expected 400 for " + body + ", got " + reply);
                assertProblemJson(reply);
                assertFalse(
                        reply.body().contains(marker),
                        () -> "expected the problem not to quote the input " + body + ", got " + reply.body());
            }
        }
    }

    @Test
    @Order(2)
    void shouldHaveAppendedNothingToTheEventsTopic() {
        assertTrue(corpus().size() >= 100, "the corpus has at least 100 requests, has " + corpus().size());
        Map<TopicPartition, Long> after = topics.endOffsets(deployment.eventsTopic());
        assertEquals(eventsBefore, after, "the events topic's end offsets after the corpus");
        assertEquals(targetBefore, admin.get(PATCH).body(), "the integration is as before");
        assertEquals(mappingBefore, admin.get(MAPPING).body(), "the mapping is as before");
    }

    // ---- building cases ----

    private static Map<String, String> jsonType() {
        return Map.of("Content-Type", "application/json");
    }

    private static Case json(String label, String method, String path, String body, int expected) {
        return new Case(
                label,
                method,
                path,
                body == null ? null : utf8(body),
                body == null ? Map.of() : jsonType(),
                false,
                expected);
    }

    private static Case bytes(
            String label, String method, String path, byte[] body, Map<String, String> headers, int expected) {
        return new Case(label, method, path, body, headers, false, expected);
    }

    private static Case withHeader(
            String label, String method, String path, String body, String header, String value, int expected) {
        Map<String, String> headers =
                body == null ? Map.of(header, value) : Map.of(header, value, "Content-Type", "application/json");
        return new Case(label, method, path, body == null ? null : utf8(body), headers, false, expected);
    }

    /** A body the endpoint would accept, so only the media type is wrong. */
    private static String validBodyFor(String label) {
        return switch (label) {
            case "POST" -> "{\"name\": \"ViaText\", \"auth_scheme\": \"NO_AUTH\"}";
            case "PATCH" -> "{\"description\": \"via text\"}";
            case "PUT defaults" -> "{\"config\": {\"base_url\": \"https://via-text\"}}";
            default -> "{\"entity_id\": \"via-text\"}";
        };
    }

    /** A config_schema of `n` entries of that type. */
    private static String schemaEntries(int n, String type) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",")
                    .append("{\"key\": \"k")
                    .append(i)
                    .append("\", \"type\": \"")
                    .append(type)
                    .append("\"}");
        }
        return out.append("]").toString();
    }

    /** An object of `n` string members. */
    private static String stringMap(int n) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < n; i++)
            out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
        return out.append("}").toString();
    }

    /** A json value over 64 KiB made of values and lists within their budgets: 900 strings of 80 chars. */
    private static String bigJsonValue() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < 900; i++)
            out.append(i == 0 ? "" : ",").append("\"").append("j".repeat(80)).append("\"");
        return out.append("]").toString();
    }

    /** An array of `n` numbers. */
    private static String numbers(int n) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < n; i++) out.append(i == 0 ? "" : ",").append(i % 10);
        return out.append("]").toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        StringBuilder out = new StringBuilder();
        shown.codePoints()
                .forEach(
                        cp -> out.append(cp < 0x20 ? String.format("\\u%04x", cp) : new String(Character.toChars(cp))));
        return out.toString();
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
