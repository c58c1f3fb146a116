package com.integrationshub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates the integrations with their defaults, then upserts every (integration, org) mapping through HTTP with a
 * fixed number of requests in flight, and reports accepted upserts per second while loading.
 */
final class LoadPhase {

    private final HubCalls hub;
    private final Names names;
    private final Catalog catalog;
    private final Report report;

    LoadPhase(HubCalls hub, Names names, Report report) {
        this.hub = hub;
        this.names = names;
        this.catalog = new Catalog(names);
        this.report = report;
    }

    /** Creates every integration and sets its defaults (one at a time: 2 × integrations writes). */
    void setup() {
        for (int i = 0; i < names.integrations(); i++) {
            HubCalls.Answer created = hub.post("/v1/integrations", catalog.integration(i)).join();
            if (created.status() != 201 && created.status() != 409) {
                throw new IllegalStateException("creating " + names.integration(i) + ": " + created.status() + " " + created.body());
            }
            HubCalls.Answer defaults = hub.put("/v1/integrations/" + names.integration(i) + "/defaults",
                    catalog.defaults(i, catalog.baseUrl(i))).join();
            if (!defaults.ok()) {
                throw new IllegalStateException("defaults of " + names.integration(i) + ": " + defaults.status() + " " + defaults.body());
            }
        }
        report.line("setup: %d integrations created with a 5-field schema (one secret) and defaults", names.integrations());
    }

    /** Upserts all mappings with `concurrency` PUTs in flight; failed ones are retried after the timed pass. */
    void load(int concurrency) throws InterruptedException {
        int total = names.integrations() * names.orgs();
        Latencies latencies = new Latencies(total);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Integer> failed = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger accepted = new AtomicInteger();

        long start = System.nanoTime();
        for (int k = 0; k < total; k++) {
            inFlight.acquire();
            send(k, latencies, statuses, failed, accepted, inFlight);
        }
        inFlight.acquire(concurrency);
        inFlight.release(concurrency);
        double seconds = (System.nanoTime() - start) / 1e9;
        int firstPass = accepted.get();

        int retried = 0;
        for (int round = 0; round < 5 && !failed.isEmpty(); round++) {
            List<Integer> again = new ArrayList<>(failed);
            failed.clear();
            retried += again.size();
            for (int k : again) {
                inFlight.acquire();
                send(k, new Latencies(1), new ConcurrentHashMap<>(), failed, accepted, inFlight);
            }
            inFlight.acquire(concurrency);
            inFlight.release(concurrency);
        }

        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((status, n) -> byStatus.put(status, n.sum()));
        report.line("load: %d PUT /v1/integrations/{name}/mappings/{org} with %d in flight: %d accepted (2xx) in %.1f s"
                        + " = %.0f accepted upserts/s; statuses %s", total, concurrency, firstPass, seconds,
                firstPass / seconds, byStatus);
        report.line("load: PUT latency under load %s", latencies.summary());
        if (retried > 0) report.line("load: %d failed upserts retried afterwards; %d still failing", retried, failed.size());
        report.result("load.upserts_per_s", String.format("%.0f", firstPass / seconds));
        report.result("load.seconds", String.format("%.1f", seconds));
        report.result("load.put_p50_ms", String.format("%.1f", latencies.percentileMs(50)));
        report.result("load.put_p99_ms", String.format("%.1f", latencies.percentileMs(99)));
        report.result("load.non_2xx", String.valueOf(total - firstPass));
        if (!failed.isEmpty()) throw new IllegalStateException(failed.size() + " mappings could not be loaded");
        verify();
    }

    private void send(int k, Latencies latencies, Map<Integer, LongAdder> statuses, ConcurrentLinkedQueue<Integer> failed,
                      AtomicInteger accepted, Semaphore inFlight) {
        int i = k % names.integrations();
        int o = k / names.integrations();
        long sent = System.nanoTime();
        hub.put("/v1/integrations/" + names.integration(i) + "/mappings/" + names.org(o),
                        catalog.mapping(i, o, catalog.loadedCustom(i, o)))
                .whenComplete((answer, error) -> {
                    int status = error != null ? -1 : answer.status();
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    if (status / 100 == 2) {
                        latencies.add(answer.arrivedNanos() - sent);
                        accepted.incrementAndGet();
                    } else {
                        failed.add(k);
                    }
                    inFlight.release();
                });
    }

    /** Every integration lists `orgs` mappings. */
    private void verify() {
        for (int i = 0; i < names.integrations(); i++) {
            HubCalls.Answer list = hub.get("/v1/integrations/" + names.integration(i) + "/mappings", hub.adminToken()).join();
            int count = occurrences(list.body(), "\"organization_id\"");
            if (!list.ok() || count != names.orgs()) {
                throw new IllegalStateException(names.integration(i) + " lists " + count + " mappings (status "
                        + list.status() + "), expected " + names.orgs());
            }
        }
        report.line("load: verified: each of the %d integrations lists %d mappings", names.integrations(), names.orgs());
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) count++;
        return count;
    }
}
