package com.integrationshub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU the named processes (the stack's, as `name=pid`) have used, read from /proc/PID/stat (utime + stime, in
 * clock ticks): so a phase can report the CPU of part of itself, e.g. the second half of a load once the JIT is done.
 */
final class ProcessCpu {

    /** Linux's USER_HZ, what /proc reports times in on every architecture Java runs on here. */
    private static final double TICKS_PER_SECOND = 100;

    private final List<String> names;
    private final List<Path> stats;

    private ProcessCpu(List<String> names, List<Path> stats) {
        this.names = names;
        this.stats = stats;
    }

    /** From `name=pid,name=pid`; null when not given. */
    static ProcessCpu of(String spec) {
        if (spec == null || spec.isBlank()) return null;
        List<String[]> pairs =
                Arrays.stream(spec.split(",")).map(p -> p.split("=", 2)).toList();
        return new ProcessCpu(
                pairs.stream().map(p -> p[0]).toList(),
                pairs.stream().map(p -> Path.of("/proc", p[1], "stat")).toList());
    }

    /** Each process's utime + stime now (0 for one that is gone). */
    long[] ticks() {
        long[] ticks = new long[stats.size()];
        for (int i = 0; i < ticks.length; i++) {
            try {
                String stat = Files.readString(stats.get(i));
                // The fields after the command name, which is in parentheses and may hold spaces.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                ticks[i] = 0;
            }
        }
        return ticks;
    }

    /** "name 0.512 ms, name 0.301 ms": each process's CPU between the two readings per operation. */
    String perOperation(long[] from, long[] to, int operations) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            double ms = (to[i] - from[i]) * 1000 / TICKS_PER_SECOND / operations;
            line.append(i == 0 ? "" : ", ").append(String.format("%s %.3f ms", names.get(i), ms));
        }
        return line.toString();
    }
}
