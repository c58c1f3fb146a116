package com.integrationshub.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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

    /** What a poll of one org's view decides: done with that org, or read it again later. */
    private interface Check {
        boolean done(int org, long askedNanos, HubCalls.Answer answer);
    }

    /** Changes the base_url default of integration `i` and waits until every org view shows it. */
    void run(int i, int concurrency) throws InterruptedException {
        String name = names.integration(i);
        String oldMarker = "\"base_url\":\"" + catalog.baseUrl(i) + "\"";
        String newBaseUrl = "https://" + name + "-" + Long.toString(System.currentTimeMillis(), 36) + ".example";
        String marker = "\"base_url\":\"" + newBaseUrl + "\"";

        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        long sweepStart = System.nanoTime();
        poll(name, concurrency, Long.MAX_VALUE, (o, asked, view) -> {
            if (!view.ok() || !view.body().contains(oldMarker)) wrong.add(names.org(o) + ": " + view.status());
            return true;
        });
        long sweep = System.nanoTime() - sweepStart;
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(wrong.size() + " org views do not show " + oldMarker + " before the change,"
                    + " e.g. " + wrong.peek());
        }
        report.line(
                "defaults-fanout: before the change, one sweep reading all %d org views (%d in flight) took %.0f ms"
                        + " (%.0f reads/s); every one showed the old default",
                names.orgs(), concurrency, sweep / 1e6, names.orgs() / (sweep / 1e9));

        AtomicInteger shown = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        AtomicLong lastOldSent = new AtomicLong(Long.MIN_VALUE);
        ConcurrentLinkedQueue<Long> oldValueReadsSent = new ConcurrentLinkedQueue<>();
        long sent = System.nanoTime();
        var put = hub.put("/v1/integrations/" + name + "/defaults", catalog.defaults(i, newBaseUrl));
        poll(name, concurrency, sent + 60_000_000_000L, (o, asked, view) -> {
            reads.incrementAndGet();
            if (!view.ok()) {
                errors.incrementAndGet();
                return false;
            }
            if (view.body().contains(marker)) {
                shown.incrementAndGet();
                first.accumulateAndGet(view.arrivedNanos(), Math::min);
                last.accumulateAndGet(view.arrivedNanos(), Math::max);
                return true;
            }
            oldValueReadsSent.add(asked);
            lastOldSent.accumulateAndGet(asked, Math::max);
            return false;
        });
        HubCalls.Answer answered = put.join();
        if (!answered.ok())
            throw new IllegalStateException("defaults change answered " + answered.status() + " " + answered.body());
        double putMs = (answered.arrivedNanos() - sent) / 1e6;
        report.line(
                "defaults-fanout: PUT /v1/integrations/%s/defaults (%d mapped orgs) answered in %.0f ms",
                name, names.orgs(), putMs);
        report.result("fanout.sweep_ms", String.format("%.0f", sweep / 1e6));
        report.result("fanout.put_ms", String.format("%.0f", putMs));
        if (shown.get() != names.orgs()) {
            report.line(
                    "defaults-fanout: only %d of %d org views showed the new default within 60 s (%d reads, %d failed)",
                    shown.get(), names.orgs(), reads.get(), errors.get());
            report.result("fanout.all_ms", "not reached");
            return;
        }
        // The views merge defaults at read time: once one view shows the change, a read sent after that should too.
        long staleAfterFirst =
                oldValueReadsSent.stream().filter(asked -> asked > first.get()).count();
        double firstMs = (first.get() - sent) / 1e6;
        double allMs = (last.get() - sent) / 1e6;
        double lastOldMs = lastOldSent.get() == Long.MIN_VALUE ? 0 : (lastOldSent.get() - sent) / 1e6;
        report.line(
                "defaults-fanout: first org view showing the new default %.0f ms after the PUT was sent (the last read"
                        + " that still showed the old one was sent at %.0f ms); all %d org views confirmed %.0f ms after it"
                        + " (%d GETs, %d in flight, %d non-2xx)",
                firstMs, lastOldMs, shown.get(), allMs, reads.get(), concurrency, errors.get());
        report.line(
                "defaults-fanout: reads sent after the first view showed the new default that still showed the old"
                        + " one: %d",
                staleAfterFirst);
        report.result("fanout.first_ms", String.format("%.0f", firstMs));
        report.result("fanout.last_old_sent_ms", String.format("%.0f", lastOldMs));
        report.result("fanout.all_ms", String.format("%.0f", allMs));
        report.result("fanout.stale_after_first", String.valueOf(staleAfterFirst));
        report.result("fanout.shown", String.valueOf(shown.get()));
    }

    /**
     * Reads org views with `concurrency` threads, each with its own keep-alive connection, starting with every org,
     * until `check` is done with all of them or the deadline passes; an org it is not done with is read again after
     * the others.
     */
    private void poll(String name, int concurrency, long deadline, Check check) throws InterruptedException {
        ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
        for (int o = 0; o < names.orgs(); o++) pending.add(o);
        AtomicInteger left = new AtomicInteger(names.orgs());
        List<Thread> readers = new ArrayList<>();
        for (int p = 0; p < concurrency; p++) {
            Thread reader = new Thread(
                    () -> {
                        try (PlainConnection connection = new PlainConnection(hub.base())) {
                            while (left.get() > 0 && System.nanoTime() < deadline) {
                                Integer o = pending.poll();
                                if (o == null) {
                                    LockSupport.parkNanos(100_000);
                                    continue;
                                }
                                long asked = System.nanoTime();
                                HubCalls.Answer view;
                                try {
                                    view = connection.get(
                                            "/v1/orgs/" + names.org(o) + "/integrations/" + name, tokens.get(o));
                                } catch (IOException | RuntimeException e) {
                                    view = new HubCalls.Answer(-1, e.toString(), System.nanoTime());
                                }
                                if (check.done(o, asked, view)) left.decrementAndGet();
                                else pending.add(o);
                            }
                        }
                    },
                    "reader-" + p);
            readers.add(reader);
            reader.start();
        }
        for (Thread reader : readers) reader.join();
    }
}
