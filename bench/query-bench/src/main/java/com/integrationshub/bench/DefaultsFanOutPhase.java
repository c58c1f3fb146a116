package com.integrationshub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A defaults change on one integration, then every org's view of it polled (org tokens, `concurrency` GETs in flight,
 * round robin over the orgs not yet showing it) from the moment the PUT is sent until all show the new default. A sweep
 * of all views before the change checks they show the old default and tells how long reading them all takes.
 */
final class DefaultsFanOutPhase {

    private final HubCalls hub;
    private final Names names;
    private final Catalog catalog;
    private final List<String> tokens;
    private final Report report;

    DefaultsFanOutPhase(HubCalls hub, Names names, List<String> tokens, Report report) {
        this.hub = hub;
        this.names = names;
        this.catalog = new Catalog(names);
        this.tokens = tokens;
        this.report = report;
    }

    /** Changes the base_url default of integration `i` and waits until every org view shows it. */
    void run(int i, int concurrency) throws InterruptedException {
        String name = names.integration(i);
        String newBaseUrl = "https://" + name + "-" + Long.toString(System.currentTimeMillis(), 36) + ".example";
        String marker = "\"base_url\":\"" + newBaseUrl + "\"";
        ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
        for (int o = 0; o < names.orgs(); o++) pending.add(o);
        AtomicInteger shown = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        ConcurrentLinkedQueue<Long> oldValueReadsSent = new ConcurrentLinkedQueue<>();
        long sweep = sweep(name, "\"base_url\":\"" + catalog.baseUrl(i) + "\"", concurrency);
        long deadline = System.nanoTime() + 60_000_000_000L;

        long sent = System.nanoTime();
        var put = hub.put("/v1/integrations/" + name + "/defaults", catalog.defaults(i, newBaseUrl));
        List<Thread> pollers = new ArrayList<>();
        for (int p = 0; p < concurrency; p++) {
            Thread t = new Thread(() -> {
                Integer o;
                while ((o = pending.poll()) != null && System.nanoTime() < deadline) {
                    long asked = System.nanoTime();
                    HubCalls.Answer view;
                    try {
                        view = hub.get("/v1/orgs/" + names.org(o) + "/integrations/" + name, tokens.get(o)).join();
                    } catch (RuntimeException e) {
                        view = new HubCalls.Answer(-1, e.toString(), System.nanoTime());
                    }
                    reads.incrementAndGet();
                    if (!view.ok()) errors.incrementAndGet();
                    if (view.ok() && view.body().contains(marker)) {
                        shown.incrementAndGet();
                        first.accumulateAndGet(view.arrivedNanos(), Math::min);
                        last.accumulateAndGet(view.arrivedNanos(), Math::max);
                    } else {
                        if (view.ok()) oldValueReadsSent.add(asked);
                        pending.add(o);
                    }
                }
            }, "poller-" + p);
            pollers.add(t);
            t.start();
        }
        for (Thread t : pollers) t.join();
        HubCalls.Answer answered = put.join();
        if (!answered.ok()) throw new IllegalStateException("defaults change answered " + answered.status() + " " + answered.body());
        if (shown.get() != names.orgs()) {
            report.line("defaults-fanout: only %d of %d org views showed the new default within 60 s (%d reads, %d failed)",
                    shown.get(), names.orgs(), reads.get(), errors.get());
            report.result("fanout.all_ms", "not reached");
            return;
        }
        // The views merge defaults at read time: once one view shows the change, a read sent after that should too.
        long staleAfterFirst = oldValueReadsSent.stream().filter(asked -> asked > first.get()).count();
        double putMs = (answered.arrivedNanos() - sent) / 1e6;
        double firstMs = (first.get() - sent) / 1e6;
        double allMs = (last.get() - sent) / 1e6;
        report.line("defaults-fanout: before the change, one sweep reading all %d org views (%d in flight) took %.0f ms;"
                + " every one showed the old default", names.orgs(), concurrency, sweep / 1e6);
        report.line("defaults-fanout: PUT /v1/integrations/%s/defaults (%d mapped orgs) answered in %.0f ms", name,
                names.orgs(), putMs);
        report.line("defaults-fanout: first org view showing the new default %.0f ms after the PUT was sent; all %d"
                        + " org views confirmed %.0f ms after it (%d GETs, %d in flight, %d non-2xx; the sweep that"
                        + " confirms them after the first took %.0f ms)", firstMs, shown.get(), allMs, reads.get(),
                concurrency, errors.get(), allMs - firstMs);
        report.line("defaults-fanout: reads sent after the first view showed the new default that still showed the old"
                + " one: %d", staleAfterFirst);
        report.result("fanout.sweep_ms", String.format("%.0f", sweep / 1e6));
        report.result("fanout.put_ms", String.format("%.0f", putMs));
        report.result("fanout.first_ms", String.format("%.0f", firstMs));
        report.result("fanout.all_ms", String.format("%.0f", allMs));
        report.result("fanout.stale_after_first", String.valueOf(staleAfterFirst));
        report.result("fanout.shown", String.valueOf(shown.get()));
    }

    /** Reads every org's view once, `concurrency` at a time; fails unless each shows `marker`. Returns nanoseconds. */
    private long sweep(String name, String marker, int concurrency) throws InterruptedException {
        ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
        for (int o = 0; o < names.orgs(); o++) pending.add(o);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<Thread> readers = new ArrayList<>();
        for (int p = 0; p < concurrency; p++) {
            Thread t = new Thread(() -> {
                Integer o;
                while ((o = pending.poll()) != null) {
                    try {
                        HubCalls.Answer view = hub.get("/v1/orgs/" + names.org(o) + "/integrations/" + name, tokens.get(o)).join();
                        if (!view.ok() || !view.body().contains(marker)) wrong.add(names.org(o) + ": " + view.status());
                    } catch (RuntimeException e) {
                        wrong.add(names.org(o) + ": " + e);
                    }
                }
            }, "sweeper-" + p);
            readers.add(t);
            t.start();
        }
        for (Thread t : readers) t.join();
        long took = System.nanoTime() - start;
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(wrong.size() + " org views do not show " + marker + ", e.g. " + wrong.peek());
        }
        return took;
    }
}
