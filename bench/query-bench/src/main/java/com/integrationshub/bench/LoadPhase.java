package com.integrationshub.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates the integrations with their defaults, then upserts every (integration, org) mapping through HTTP with a
 * fixed number of requests in flight, and reports accepted upserts per second while loading: over the whole load, and
 * over its second half (the JVMs' JIT compilers are done by then: a service that has run a while).
 */
final class LoadPhase {

    private final HubCalls hub;
    private final Names names;
    private final Catalog catalog;
    private final Report report;
    /** The timed pass's answer after which the second half starts, and the processes' CPU then (null: not sampled). */
    private int halfway = -1;

    private ProcessCpu cpu;
    private volatile long[] cpuAtHalf;

    LoadPhase(HubCalls hub, Names names, Report report) {
        this.hub = hub;
        this.names = names;
        this.catalog = new Catalog(names);
        this.report = report;
    }

    /** Creates every integration and sets its defaults (one at a time: 2 × integrations writes). */
    void setup() {
        for (int i = 0; i < names.integrations(); i++) {
            HubCalls.Answer created =
                    hub.post("/v1/integrations", catalog.integration(i)).join();
            if (created.status() != 201 && created.status() != 409) {
                throw new IllegalStateException(
                        "creating " + names.integration(i) + ": " + created.status() + " " + created.body());
            }
            HubCalls.Answer defaults = hub.put(
                            "/v1/integrations/" + names.integration(i) + "/defaults",
                            catalog.defaults(i, catalog.baseUrl(i)))
                    .join();
            if (!defaults.ok()) {
                throw new IllegalStateException(
                        "defaults of " + names.integration(i) + ": " + defaults.status() + " " + defaults.body());
            }
        }
        report.line(
                "setup: %d integrations created with a 5-field schema (one secret) and defaults", names.integrations());
    }

    /**
     * Upserts all mappings with `concurrency` PUTs in flight (one thread and keep-alive connection each); failed ones
     * are retried after the timed pass.
     */
    void load(int concurrency, ProcessCpu cpu) throws InterruptedException {
        int total = names.integrations() * names.orgs();
        halfway = total / 2;
        this.cpu = cpu;
        Latencies latencies = new Latencies(total);
        long[] acceptedAt = new long[total];
        AtomicInteger acceptedCount = new AtomicInteger();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Integer> failed = new ConcurrentLinkedQueue<>();
        List<Integer> all = new ArrayList<>(total);
        for (int k = 0; k < total; k++) all.add(k);

        long start = System.nanoTime();
        int firstPass = upsert(all, concurrency, latencies, statuses, failed, acceptedAt, acceptedCount);
        double seconds = (System.nanoTime() - start) / 1e9;
        // The second half: from the moment half of the accepted upserts had been answered to the last answer.
        int answered = acceptedCount.get();
        long[] times = Arrays.copyOf(acceptedAt, answered);
        Arrays.sort(times);
        double steady =
                answered < 2 ? 0 : (answered - answered / 2) / ((times[answered - 1] - times[answered / 2 - 1]) / 1e9);

        int retried = 0;
        for (int round = 0; round < 5 && !failed.isEmpty(); round++) {
            List<Integer> again = new ArrayList<>(failed);
            failed.clear();
            retried += again.size();
            upsert(
                    again,
                    Math.min(concurrency, 16),
                    new Latencies(again.size()),
                    new ConcurrentHashMap<>(),
                    failed,
                    new long[again.size()],
                    new AtomicInteger());
        }

        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, n) -> byStatus.put(status, n.sum()));
        report.line(
                "load: %d PUT /v1/integrations/{name}/mappings/{org} with %d in flight: %d accepted (2xx) in %.1f s"
                        + " = %.0f accepted upserts/s; statuses %s",
                total, concurrency, firstPass, seconds, firstPass / seconds, byStatus);
        report.line("load: second half (from the %d-th answer on): %.0f accepted upserts/s", answered / 2, steady);
        report.line("load: accepted upserts/s per 5 s from the start: %s", timeline(start, times));
        long[] atHalf = cpuAtHalf;
        if (atHalf != null && answered > halfway) {
            long[] atEnd = cpu.ticks();
            report.line(
                    "load: second half CPU per upsert (from the %d-th answer on): %s",
                    halfway, cpu.perOperation(atHalf, atEnd, answered - halfway));
        }
        report.line("load: PUT latency under load %s", latencies.summary());
        if (retried > 0)
            report.line("load: %d failed upserts retried afterwards; %d still failing", retried, failed.size());
        report.result("load.upserts_per_s", String.format("%.0f", firstPass / seconds));
        report.result("load.seconds", String.format("%.1f", seconds));
        report.result("load.steady_upserts_per_s", String.format("%.0f", steady));
        report.result("load.put_p50_ms", String.format("%.1f", latencies.percentileMs(50)));
        report.result("load.put_p99_ms", String.format("%.1f", latencies.percentileMs(99)));
        report.result("load.non_2xx", String.valueOf(total - firstPass));
        if (!failed.isEmpty()) throw new IllegalStateException(failed.size() + " mappings could not be loaded");
        verify();
    }

    /** PUTs the mappings numbered `ks` from `concurrency` threads; answers how many were accepted. */
    private int upsert(
            List<Integer> ks,
            int concurrency,
            Latencies latencies,
            Map<Integer, LongAdder> statuses,
            ConcurrentLinkedQueue<Integer> failed,
            long[] acceptedAt,
            AtomicInteger acceptedCount)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < Math.min(concurrency, ks.size()); t++) {
            Thread thread = new Thread(
                    () -> {
                        try (PlainConnection connection = new PlainConnection(hub.base())) {
                            for (int n = next.getAndIncrement(); n < ks.size(); n = next.getAndIncrement()) {
                                int k = ks.get(n);
                                int i = k % names.integrations();
                                int o = k / names.integrations();
                                long sent = System.nanoTime();
                                int status;
                                long arrived = 0;
                                try {
                                    HubCalls.Answer answer = connection.put(
                                            "/v1/integrations/" + names.integration(i) + "/mappings/" + names.org(o),
                                            hub.adminToken(),
                                            catalog.mapping(i, o, catalog.loadedCustom(i, o)));
                                    status = answer.status();
                                    arrived = answer.arrivedNanos();
                                } catch (IOException | RuntimeException e) {
                                    status = -1;
                                }
                                statuses.computeIfAbsent(status, s -> new LongAdder())
                                        .increment();
                                if (status / 100 == 2) {
                                    latencies.add(arrived - sent);
                                    accepted.incrementAndGet();
                                    int nth = acceptedCount.getAndIncrement();
                                    acceptedAt[nth] = arrived;
                                    if (nth == halfway - 1 && cpu != null) cpuAtHalf = cpu.ticks();
                                } else {
                                    failed.add(k);
                                }
                            }
                        }
                    },
                    "loader-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        return accepted.get();
    }

    /** Accepted upserts per second in each 5 s since `start`, from the sorted answer times: where the warm-up ends. */
    private static String timeline(long start, long[] sortedTimes) {
        if (sortedTimes.length == 0) return "-";
        long bucket = 5_000_000_000L;
        int buckets = (int) ((sortedTimes[sortedTimes.length - 1] - start) / bucket) + 1;
        int[] counts = new int[buckets];
        for (long t : sortedTimes) counts[(int) Math.max(0, (t - start) / bucket)]++;
        StringBuilder line = new StringBuilder();
        for (int b = 0; b < buckets; b++) line.append(b == 0 ? "" : " ").append(counts[b] / 5);
        return line.toString();
    }

    /** Every integration lists `orgs` mappings. */
    private void verify() {
        for (int i = 0; i < names.integrations(); i++) {
            HubCalls.Answer list = hub.get("/v1/integrations/" + names.integration(i) + "/mappings", hub.adminToken())
                    .join();
            int count = occurrences(list.body(), "\"organization_id\"");
            if (!list.ok() || count != names.orgs()) {
                throw new IllegalStateException(names.integration(i) + " lists " + count + " mappings (status "
                        + list.status() + "), expected " + names.orgs());
            }
        }
        report.line(
                "load: verified: each of the %d integrations lists %d mappings", names.integrations(), names.orgs());
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) count++;
        return count;
    }
}
