package com.integrationshub.refresher.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.testkit.LogLines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's logback.xml: text lines by default, one parseable JSON object per line with HUB_LOG_FORMAT=json. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGGER = "com.integrationshub.refresher.RefreshSchedule";

    @Test
    void shouldWriteOneParseableJsonObjectPerLineWithHubLogFormatJson() throws Exception {
        List<String> lines = render("json");

        assertEquals(2, lines.size(), "one line per event: " + lines);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(
                "command accepted command_id=c-1 type=CreateIntegration",
                first.path("message").asText());
        assertEquals("INFO", first.path("level").asText());
        assertEquals(LOGGER, first.path("logger_name").asText());
        assertTrue(first.hasNonNull("@timestamp"), "a timestamp: " + first);
        assertEquals("c-1", first.path("command_id").asText(), "key/value pairs become fields: " + first);
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("WARN", second.path("level").asText());
        assertTrue(second.path("stack_trace").asText().contains("IllegalStateException"), "the stack trace: " + second);
    }

    @Test
    void shouldWriteTextLinesByDefault() throws Exception {
        List<String> lines = render(null);

        assertFalse(lines.isEmpty());
        assertTrue(
                lines.get(0).contains("INFO") && lines.get(0).contains("command accepted command_id=c-1"),
                "a text line: " + lines.get(0));
        assertFalse(lines.get(0).startsWith("{"), "not JSON: " + lines.get(0));
    }

    private static List<String> render(String format) throws Exception {
        return LogLines.render(format, LOGGER);
    }
}
