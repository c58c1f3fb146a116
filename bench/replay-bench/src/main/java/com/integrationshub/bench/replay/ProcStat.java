package com.integrationshub.bench.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc tells of a process and of the machine. */
final class ProcStat {

    private ProcStat() {}

    /** user + system CPU of the process so far, from /proc (clock ticks of 10 ms on Linux); 0 for no pid. */
    static double cpuSeconds(long pid) {
        if (pid <= 0) return 0;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String javaTool(String tool) {
        Path path = Path.of(System.getProperty("java.home"), "bin", tool);
        return Files.isExecutable(path) ? path.toString() : tool;
    }
}
