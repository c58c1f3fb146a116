package com.integrationshub.query.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrgSpecViewTest {

    private final ProviderSpecParser parser = new ProviderSpecParser(1024 * 1024, 200, 50, 5, 200);

    @Test
    void shouldPointServersAtTheOrgsProxyAndEveryOperationAtTheHubBearerScheme() {
        ProviderSpec spec = parser.parse(ProviderSpecParserTest.bytes(ProviderSpecParserTest.JSON_30), false);
        String proxy = "https://hub.example/v1/orgs/org-1/integrations/HaloPSA/proxy";

        JsonNode view = OrgSpecView.of(spec.document(), proxy);

        assertEquals(1, view.get("servers").size());
        assertEquals(proxy, view.at("/servers/0/url").asText());
        JsonNode schemes = view.at("/components/securitySchemes");
        assertEquals(1, schemes.size());
        assertEquals("http", schemes.at("/hubToken/type").asText());
        assertEquals("bearer", schemes.at("/hubToken/scheme").asText());
        assertEquals(List.of("hubToken"), names(view.at("/security/0")));
        for (String op : List.of("/paths/~1tickets/get", "/paths/~1tickets/post", "/paths/~1tickets~1{id}/delete")) {
            assertEquals(List.of("hubToken"), names(view.at(op + "/security/0")), op);
        }
        // the stored document is not changed, and the view is still a valid document
        assertEquals(
                "https://api.provider.example",
                spec.document().at("/servers/0/url").asText());
        assertEquals(
                4,
                parser.parse(ProviderSpecParserTest.bytes(view.toString()), false)
                        .operations());
    }

    @Test
    void shouldAddComponentsToADocumentWithoutThem() {
        ProviderSpec spec = parser.parse(ProviderSpecParserTest.bytes(ProviderSpecParserTest.YAML_31), true);

        JsonNode view = OrgSpecView.of(spec.document(), "http://127.0.0.1:8080/v1/orgs/o/integrations/C/proxy");

        assertEquals(
                "bearer", view.at("/components/securitySchemes/hubToken/scheme").asText());
        assertTrue(view.at("/paths/~1contacts/get/security/0").has("hubToken"));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
