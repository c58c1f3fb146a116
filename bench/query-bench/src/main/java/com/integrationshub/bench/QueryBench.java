package com.integrationshub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java side of bench/query-bench.sh, one phase per call:
 * <pre>
 *   setup           create the integrations with their schema and defaults
 *   load            upsert every (integration, org) mapping, concurrently; accepted upserts/s
 *   tokens          write one org token per line (org order) for the wrk script
 *   write-visible   PUT → org view shows it, p50/p99 over --count upserts; PUT latency alone
 *   writes          PUT latency with nothing polling, --count upserts by --writers; read-your-writes checked
 *   defaults-fanout a defaults change → time until every org view shows it
 *   proxy-upstream  the provider of bench/proxy-bench.sh (ProxyUpstream), until stopped:
 *                   --port-file F [--threads 8] --credential S
 * </pre>
 * Common options: --base URL --admin-token-file F --jwt-secret-file F --integrations N --orgs N.
 */
public final class QueryBench {

    private QueryBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(
                    "usage: QueryBench setup|load|tokens|write-visible|writes|defaults-fanout|proxy-upstream --base URL"
                            + " --admin-token-file F --jwt-secret-file F [--integrations 10] [--orgs 10000] [phase options]");
            System.exit(2);
        }
        Map<String, String> options = options(args);
        Names names = new Names(integer(options, "integrations", 10), integer(options, "orgs", 10_000));
        Report report = new Report(System.out);
        String phase = args[0];
        if (phase.equals("tokens")) {
            List<String> tokens = tokens(options, names);
            Files.write(Path.of(required(options, "out")), tokens);
            return;
        }
        if (phase.equals("proxy-upstream")) {
            ProxyUpstream.run(
                    Path.of(required(options, "port-file")),
                    integer(options, "threads", 8),
                    required(options, "credential"));
            return;
        }
        String adminToken =
                Files.readString(Path.of(required(options, "admin-token-file"))).strip();
        long wallStart = System.nanoTime();
        try (HubCalls hub =
                new HubCalls(required(options, "base"), adminToken, integer(options, "client-threads", 4))) {
            switch (phase) {
                case "setup" -> new LoadPhase(hub, names, report).setup();
                case "load" ->
                    new LoadPhase(hub, names, report)
                            .load(integer(options, "concurrency", 128), ProcessCpu.of(options.get("cpu-pids")));
                case "write-visible" ->
                    new WriteVisiblePhase(hub, names, tokens(options, names), report)
                            .run(
                                    integer(options, "count", 1000),
                                    integer(options, "writers", 4),
                                    integer(options, "poll-ms", 2));
                case "writes" ->
                    new WriteVisiblePhase(hub, names, tokens(options, names), report)
                            .writes(integer(options, "count", 1000), integer(options, "writers", 4));
                case "defaults-fanout" ->
                    new DefaultsFanOutPhase(hub, names, tokens(options, names), report)
                            .run(integer(options, "integration-index", 0), integer(options, "concurrency", 32));
                default -> throw new IllegalArgumentException("unknown phase " + phase);
            }
        }
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            double seconds = (System.nanoTime() - wallStart) / 1e9;
            report.line(
                    "%s: the load generator (this JVM) used %.2f cores over %.1f s",
                    phase, process.getProcessCpuTime() / 1e9 / seconds, seconds);
        }
    }

    private static List<String> tokens(Map<String, String> options, Names names) throws IOException {
        return OrgTokens.fromSecretFile(Path.of(required(options, "jwt-secret-file")))
                .forOrgs(names);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int k = 1; k < args.length; k += 2) {
            if (!args[k].startsWith("--") || k + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value at " + args[k]);
            }
            options.put(args[k].substring(2), args[k + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) throw new IllegalArgumentException("--" + name + " is required");
        return value;
    }

    private static int integer(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }
}
