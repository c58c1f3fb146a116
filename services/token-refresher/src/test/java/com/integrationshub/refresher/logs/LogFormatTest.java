package com.integrationshub.refresher.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The service's logback.xml: text lines by default, one parseable JSON object per line with HUB_LOG_FORMAT=json. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteOneParseableJsonObjectPerLineWithHubLogFormatJson() throws Exception {
        List<String> lines = render("json");

        assertEquals(2, lines.size(), "one line per event: " + lines);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(
                "command accepted command_id=c-1 type=CreateIntegration",
                first.path("message").asText());
        assertEquals("INFO", first.path("level").asText());
        assertEquals(
                "com.integrationshub.refresher.RefreshSchedule",
                first.path("logger_name").asText());
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

    /** Logs two events through the service's logback.xml in a context of its own; returns what it printed. */
    private static List<String> render(String format) throws Exception {
        URL config = LogFormatTest.class.getClassLoader().getResource("logback.xml");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // the global context gets one from SLF4J; this one is ours
        if (format != null) context.putProperty("HUB_LOG_FORMAT", format);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            Logger log = context.getLogger("com.integrationshub.refresher.RefreshSchedule");
            log.atInfo()
                    .addKeyValue("command_id", "c-1")
                    .log("command accepted command_id={} type={}", "c-1", "CreateIntegration");
            log.warn("a failure", new IllegalStateException("boom"));
        } finally {
            context.stop();
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
    }
}
