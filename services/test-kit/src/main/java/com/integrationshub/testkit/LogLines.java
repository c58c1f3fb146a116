package com.integrationshub.testkit;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;

/** What a service's logback.xml prints, rendered in a logger context of its own (the global one stays untouched). */
public final class LogLines {

    private LogLines() {}

    /**
     * Configures a fresh context from the classpath's logback.xml with HUB_LOG_FORMAT set to {@code format} (null:
     * unset), logs one INFO line with a command_id key/value pair and one WARN line with a stack trace through the
     * logger named {@code loggerName}, and returns the non-blank lines this thread printed (a text line's stack trace
     * lines are not among them).
     */
    public static List<String> render(String format, String loggerName) throws Exception {
        URL config = LogLines.class.getClassLoader().getResource("logback.xml");
        if (config == null) throw new IllegalStateException("no logback.xml on the classpath");
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
            Logger log = context.getLogger(loggerName);
            log.atInfo()
                    .addKeyValue("command_id", "c-1")
                    .log("command accepted command_id={} type={}", "c-1", "CreateIntegration");
            log.warn("a failure", new IllegalStateException("boom"));
        } finally {
            context.stop();
            System.setOut(original);
        }
        // Other threads of the test JVM (a Kafka client left retrying by an earlier test) print to System.out too:
        // keep the lines this thread logged.
        String thread = Thread.currentThread().getName();
        return out.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank())
                .filter(l -> l.contains("[" + thread + "]") || l.contains("\"thread_name\":\"" + thread + "\""))
                .toList();
    }
}
