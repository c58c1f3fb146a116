package com.integrationshub.query.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProviderSpecParserTest {

    private final ProviderSpecParser parser = new ProviderSpecParser(1024 * 1024, 200, 50, 5, 200);

    static final String JSON_30 = """
            {"openapi": "3.0.3", "info": {"title": "Tickets", "version": "1"},
             "servers": [{"url": "https://api.provider.example"}],
             "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
             "security": [{"key": []}],
             "paths": {
               "/tickets": {"get": {"responses": {"200": {"description": "ok"}}},
                            "post": {"security": [{"key": []}], "responses": {"201": {"description": "made"}}}},
               "/tickets/{id}": {"parameters": [{"name": "id", "in": "path", "required": true,
                                                 "schema": {"type": "string"}}],
                                 "get": {"responses": {"200": {"description": "ok"}}},
                                 "delete": {"security": [], "responses": {"204": {"description": "gone"}}}}}}
            """;

    static final String YAML_31 = """
            openapi: 3.1.0
            info:
              title: Contacts
              version: "2"
            paths:
              /contacts:
                get:
                  responses:
                    "200":
                      description: ok
            """;

    @Test
    void shouldCountPathMethodPairsAndKeepTheTitleOfAJson30Document() {
        ProviderSpec spec = parser.parse(bytes(JSON_30), false);

        assertEquals("Tickets", spec.title());
        assertEquals(4, spec.operations());
        assertEquals(ProviderSpecParser.sha256(spec.json()), spec.digest());
        assertEquals(64, spec.digest().length());
        assertEquals(
                "https://api.provider.example",
                spec.document().at("/servers/0/url").asText());
    }

    @Test
    void shouldReadA31DocumentInYamlAsJson() {
        ProviderSpec spec = parser.parse(bytes(YAML_31), true);

        assertEquals("Contacts", spec.title());
        assertEquals(1, spec.operations());
        assertTrue(ProviderSpecParser.utf8(spec.json()).startsWith("{\"openapi\":\"3.1.0\""));
    }

    @Test
    void shouldResolveYamlAliasesAndKeepDatesAsStrings() {
        String yaml = """
                openapi: 3.0.3
                info: {title: Dates, version: 2024-01-31}
                paths:
                  /a:
                    get:
                      responses: &ok
                        "200": {description: ok}
                  /b:
                    get:
                      responses: *ok
                """;
        ProviderSpec spec = parser.parse(bytes(yaml), true);

        assertEquals(2, spec.operations());
        assertEquals("2024-01-31", spec.document().at("/info/version").asText());
        assertEquals(
                "ok",
                spec.document().at("/paths/~1b/get/responses/200/description").asText());
    }

    @Test
    void shouldRefuseADocumentWithoutInfoWithTheParsersMessage() {
        InvalidSpecException e = assertThrows(
                InvalidSpecException.class,
                () -> parser.parse(bytes("{\"openapi\": \"3.0.0\", \"paths\": {}}"), false));
        assertTrue(
                e.messages().stream().anyMatch(m -> m.contains("info")),
                e.messages().toString());
    }

    @Test
    void shouldRefuseSwagger2AndNonDocuments() {
        assertThrows(InvalidSpecException.class, () -> parser.parse(bytes("{\"swagger\": \"2.0\"}"), false));
        assertThrows(InvalidSpecException.class, () -> parser.parse(bytes("[1, 2]"), false));
        assertThrows(InvalidSpecException.class, () -> parser.parse(bytes("{not json"), false));
        assertThrows(InvalidSpecException.class, () -> parser.parse(new byte[0], true));
    }

    @Test
    void shouldBoundTheNumberAndLengthOfMessages() {
        StringBuilder paths = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            if (i > 0) paths.append(',');
            // responses of the wrong type: at least one parser message each, naming a long key
            paths.append("\"/p").append(i).append("y".repeat(500)).append("\": {\"get\": {\"responses\": 7}}");
        }
        String doc = "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {" + paths
                + "}}";

        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> parser.parse(bytes(doc), false));
        assertTrue(e.messages().size() <= 6, e.messages().toString());
        assertTrue(
                e.messages().stream().allMatch(m -> m.length() <= 201),
                e.messages().toString());
    }

    @Test
    void shouldRefuseABillionLaughsYamlDocument() {
        String bomb = """
                openapi: 3.0.0
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                """;
        // refused by the reader (alias limit) before anything is expanded, not later for lacking "info"
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> parser.parse(bytes(bomb), true));
        assertEquals("the body is not readable YAML", e.getMessage());
        assertTrue(
                e.messages().get(0).toLowerCase().contains("alias"),
                e.messages().toString());
    }

    @Test
    void shouldRefuseAFewAliasesThatMultiplyIntoAHugeTree() {
        StringBuilder yaml = new StringBuilder("openapi: 3.0.0\nl0: &l0 [x, x]\n");
        for (int i = 1; i < 24; i++) {
            yaml.append("l" + i + ": &l" + i + " [*l" + (i - 1) + ", *l" + (i - 1) + "]\n");
        }
        InvalidSpecException e =
                assertThrows(InvalidSpecException.class, () -> parser.parse(bytes(yaml.toString()), true));
        assertEquals("the body is not readable YAML", e.getMessage());
        assertTrue(e.messages().get(0).contains("nodes"), e.messages().toString());
    }

    @Test
    void shouldRefuseDeeplyNestedDocuments() {
        String yaml = "openapi: 3.0.0\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        String json = "{\"openapi\": \"3.0.0\", \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertEquals(
                "the body is not readable YAML",
                assertThrows(InvalidSpecException.class, () -> parser.parse(bytes(yaml), true))
                        .getMessage());
        assertEquals(
                "the body is not readable JSON",
                assertThrows(InvalidSpecException.class, () -> parser.parse(bytes(json), false))
                        .getMessage());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
