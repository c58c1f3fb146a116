package com.integrationshub.domain.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeaderTemplatesTest {

    @Test
    void shouldFillEveryKeyOfEveryTemplateInHeaderOrder() {
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("X-Api-Key", "{api_key}");
        templates.put("Authorization", "Basic {username}:{password} for {tenant.id}");
        var rendered = HeaderTemplates.render(
                templates, Map.of("api_key", "k1", "username", "u", "password", "p", "tenant.id", "t-9"));
        assertEquals(Optional.empty(), rendered.missingKey());
        assertEquals(
                List.of("X-Api-Key", "Authorization"),
                List.copyOf(rendered.headers().keySet()));
        assertEquals("k1", rendered.headers().get("X-Api-Key"));
        assertEquals("Basic u:p for t-9", rendered.headers().get("Authorization"));
    }

    @Test
    void shouldInsertValuesLiterallyEvenWithDollarSignsAndBackslashes() {
        var rendered = HeaderTemplates.render(Map.of("X", "v={secret}"), Map.of("secret", "a$1\\b{x}"));
        assertEquals("v=a$1\\b{x}", rendered.headers().get("X"));
    }

    @Test
    void shouldNameTheFirstKeyWithoutAValueAndRenderNothing() {
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("A", "{known}");
        templates.put("B", "{unknown} {also_unknown}");
        var rendered = HeaderTemplates.render(templates, Map.of("known", "1"));
        assertEquals(Optional.of("unknown"), rendered.missingKey());
        assertTrue(rendered.headers().isEmpty());
    }

    @Test
    void shouldKeepTextThatIsNotAKey() {
        var rendered = HeaderTemplates.render(Map.of("X", "plain {not a key} {}"), Map.of());
        assertEquals("plain {not a key} {}", rendered.headers().get("X"));
    }
}
