package com.integrationshub.bench;

import java.io.PrintStream;

/** Prints findings for people, and {@code RESULT key=value} lines for bench/query-bench.sh to collect. */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    /** A line for people. */
    void line(String format, Object... args) {
        out.println(String.format(format, args));
        out.flush();
    }

    /** A figure for the script. */
    void result(String key, String value) {
        out.println("RESULT " + key + "=" + value);
        out.flush();
    }
}
