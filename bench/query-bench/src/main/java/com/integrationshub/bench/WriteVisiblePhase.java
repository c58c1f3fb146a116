package com.integrationshub.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Write→visible: each writer changes an org's `custom` override with a PUT and, from the moment the PUT is sent, polls
 * that org's view (GET /v1/orgs/{org}/integrations/{name}, org token, over its own keep-alive connection) on the same
 * server until it shows the new value.
 * Records the time to the first GET answer showing it, and the PUT's own latency.
 */
final class WriteVisiblePhase {

    private final HubCalls hub;
    private final Names names;
    private final Catalog catalog;
    private final List<String> tokens;
    private final Report report;

    WriteVisiblePhase(HubCalls hub, Names names, List<String> tokens, Report report) {
        this.hub = hub;
        this.names = names;
        this.catalog = new Catalog(names);
        this.tokens = tokens;
        this.report = report;
    }

    /** `count` upserts split over `writers` threads, each writer one upsert at a time; polls `pollMs` apart. */
    void run(int count, int writers, long pollMs) throws InterruptedException {
        Latencies visible = new Latencies(count);
        Latencies put = new Latencies(count);
        AtomicInteger seenBeforePutAnswered = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        String nonce = Long.toString(System.currentTimeMillis(), 36);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            int share = count / writers + (w < count % writers ? 1 : 0);
            Thread t = new Thread(
                    () -> {
                        PlainConnection reads = new PlainConnection(hub.base());
                        SplittableRandom random = new SplittableRandom(42 + writer);
                        for (int n = 0; n < share; n++) {
                            int i = random.nextInt(names.integrations());
                            int o = random.nextInt(names.orgs());
                            try {
                                String value = "wv-" + nonce + "-" + writer + "-" + n;
                                String view = "/v1/orgs/" + names.org(o) + "/integrations/" + names.integration(i);
                                long sent = System.nanoTime();
                                CompletableFuture<HubCalls.Answer> answer = hub.put(
                                        "/v1/integrations/" + names.integration(i) + "/mappings/" + names.org(o),
                                        catalog.mapping(i, o, value));
                                long seenAt = -1;
                                while (seenAt < 0) {
                                    HubCalls.Answer read = reads.get(view, tokens.get(o));
                                    polls.incrementAndGet();
                                    if (read.ok() && read.body().contains("\"" + value + "\"")) {
                                        seenAt = read.arrivedNanos();
                                    } else if (System.nanoTime() - sent > 30_000_000_000L) {
                                        break;
                                    } else {
                                        sleep(pollMs);
                                    }
                                }
                                HubCalls.Answer written = answer.join();
                                if (!written.ok() || seenAt < 0) {
                                    failures.incrementAndGet();
                                    firstFailure.compareAndSet(
                                            null, "PUT " + written.status() + (seenAt < 0 ? ", never visible" : ""));
                                    continue;
                                }
                                visible.add(seenAt - sent);
                                put.add(written.arrivedNanos() - sent);
                                if (seenAt < written.arrivedNanos()) seenBeforePutAnswered.incrementAndGet();
                            } catch (IOException | RuntimeException e) {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet(null, e.toString());
                            }
                        }
                        reads.close();
                    },
                    "writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        report.line(
                "write-visible: %d upserts by %d writers (one at a time each) in %.1f s, views polled every %d ms"
                        + " (%d GETs); %d failed",
                count, writers, seconds, pollMs, polls.get(), failures.get());
        if (firstFailure.get() != null) report.line("write-visible: first failure: %s", firstFailure.get());
        report.line("write-visible: PUT sent → GET of the org view shows the new value: %s", visible.summary());
        report.line("write-visible: PUT latency alone (answers after the view has it):   %s", put.summary());
        report.line(
                "write-visible: %d of %d were visible to a GET before their PUT had answered",
                seenBeforePutAnswered.get(), visible.count());
        report.result("wv.visible_p50_ms", String.format("%.1f", visible.percentileMs(50)));
        report.result("wv.visible_p99_ms", String.format("%.1f", visible.percentileMs(99)));
        report.result("wv.put_p50_ms", String.format("%.1f", put.percentileMs(50)));
        report.result("wv.put_p99_ms", String.format("%.1f", put.percentileMs(99)));
        report.result("wv.failed", String.valueOf(failures.get()));
    }

    /**
     * PUT latency alone: `count` upserts by `writers` writers, one at a time each, with nothing else loading the
     * service (no polling while the PUT is in flight). After each 2xx, one GET of the org view on the same server
     * must show the new value (read-your-writes); a GET that does not is counted.
     */
    void writes(int count, int writers) throws InterruptedException {
        Latencies put = new Latencies(count);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger notShown = new AtomicInteger();
        AtomicReference<String> firstNotShown = new AtomicReference<>();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        String nonce = Long.toString(System.currentTimeMillis(), 36);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            int share = count / writers + (w < count % writers ? 1 : 0);
            Thread t = new Thread(
                    () -> {
                        PlainConnection reads = new PlainConnection(hub.base());
                        SplittableRandom random = new SplittableRandom(4242 + writer);
                        for (int n = 0; n < share; n++) {
                            int i = random.nextInt(names.integrations());
                            // Each writer its own orgs: another writer's newer value must not look like a stale read.
                            int o = writer + writers * random.nextInt(Math.max(1, names.orgs() / writers));
                            try {
                                String value = "w-" + nonce + "-" + writer + "-" + n;
                                long sent = System.nanoTime();
                                HubCalls.Answer written = hub.put(
                                                "/v1/integrations/" + names.integration(i) + "/mappings/"
                                                        + names.org(o),
                                                catalog.mapping(i, o, value))
                                        .join();
                                if (!written.ok()) {
                                    failures.incrementAndGet();
                                    firstFailure.compareAndSet(null, "PUT " + written.status());
                                    continue;
                                }
                                put.add(written.arrivedNanos() - sent);
                                HubCalls.Answer read = reads.get(
                                        "/v1/orgs/" + names.org(o) + "/integrations/" + names.integration(i),
                                        tokens.get(o));
                                if (!read.ok() || !read.body().contains("\"" + value + "\"")) {
                                    notShown.incrementAndGet();
                                    firstNotShown.compareAndSet(
                                            null,
                                            "GET " + read.status() + " "
                                                    + read.body().length() + " bytes");
                                }
                            } catch (IOException | RuntimeException e) {
                                failures.incrementAndGet();
                                firstFailure.compareAndSet(null, e.toString());
                            }
                        }
                        reads.close();
                    },
                    "writer-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        report.line(
                "writes: %d upserts by %d writers (one at a time each, nothing polling) in %.1f s; %d failed",
                count, writers, seconds, failures.get());
        if (firstFailure.get() != null) report.line("writes: first failure: %s", firstFailure.get());
        report.line("writes: PUT latency: %s", put.summary());
        report.line(
                "writes: read-your-writes: %d of %d GETs right after the 2xx did not show the write",
                notShown.get(), put.count());
        if (firstNotShown.get() != null) report.line("writes: first GET not showing it: %s", firstNotShown.get());
        report.result("writes.put_p50_ms", String.format("%.1f", put.percentileMs(50)));
        report.result("writes.put_p99_ms", String.format("%.1f", put.percentileMs(99)));
        report.result("writes.not_shown", String.valueOf(notShown.get()));
        report.result("writes.failed", String.valueOf(failures.get()));
    }

    private static void sleep(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
