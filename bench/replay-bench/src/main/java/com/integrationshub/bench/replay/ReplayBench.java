package com.integrationshub.bench.replay;

import java.util.HashMap;
import java.util.Map;

/**
 * The Java side of bench/replay-bench.sh (not a test): {@code write} appends the events ({@link EventWriter}),
 * {@code anchor-streams} times minimal Kafka Streams applications over them ({@link FoldClock}), {@code serve} starts
 * the query-service on an empty and then on an intact state dir and times each until it serves ({@link ServeClock}),
 * {@code jfr} summarises a recording of the replay ({@link JfrSummary}). Arguments are {@code --name value} pairs.
 */
public final class ReplayBench {

    private ReplayBench() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0)
            throw new IllegalArgumentException("usage: write|anchor-streams|serve|jfr --name value ...");
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) throw new IllegalArgumentException("expected --name, got " + argv[i]);
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        switch (argv[0]) {
            case "write" -> EventWriter.run(args);
            case "serve" -> ServeClock.run(args);
            case "anchor-streams" -> FoldClock.run(args);
            case "jfr" -> JfrSummary.run(args);
            default -> throw new IllegalArgumentException("unknown step " + argv[0]);
        }
        System.exit(0);
    }
}
