package com.integrationshub.query.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates SDKs off the event loop, a few at a time, and keeps the results.
 *
 * <p>openapi-generator is large (its classes and templates take a second or more to load and tens of MB): nothing
 * of it is touched before the first SDK request. Generations run on a pool of {@code concurrency} threads with a
 * queue of {@code queue}; a request past both is refused (503). A zip is cached by what makes it: the stored
 * document's digest, the language and the proxy URL (the org's view is those three); concurrent requests for the
 * same zip share one generation.
 */
@Singleton
public class SdkBuilds {

    /** What a zip is made of; the integration's name is part of the proxy URL. */
    public record Key(String digest, SdkLanguage language, String proxyUrl, String integration) {}

    /** Too many generations waiting already. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("too many SDKs are being generated; retry shortly", null, false, false);
        }
    }

    private final SdkSettings settings;
    private final SdkCache<Key> cache;
    private final Map<Key, CompletableFuture<byte[]>> running = new ConcurrentHashMap<>();
    private volatile ThreadPoolExecutor pool;
    private volatile SdkGenerator generator;

    public SdkBuilds(SdkSettings settings) {
        this.settings = settings;
        this.cache = new SdkCache<>(settings.cacheBytes());
    }

    /** The zip of {@code key}, made from {@code view} (the org's document) unless cached. */
    public CompletableFuture<byte[]> zip(Key key, JsonNode view) {
        var cached = cache.get(key);
        if (cached.isPresent()) return CompletableFuture.completedFuture(cached.get());
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> shared = running.putIfAbsent(key, mine);
        if (shared != null) return shared;
        try {
            pool().execute(() -> {
                try {
                    byte[] zip = generator().generate(view, key.language(), key.integration());
                    cache.put(key, zip);
                    mine.complete(zip);
                } catch (Throwable e) {
                    mine.completeExceptionally(e);
                } finally {
                    running.remove(key, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            running.remove(key, mine);
            mine.completeExceptionally(new BusyException());
        }
        return mine;
    }

    /** The zips cached, and their bytes (for tests and metrics). */
    public int cached() {
        return cache.size();
    }

    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    AtomicInteger n = new AtomicInteger();
                    p = new ThreadPoolExecutor(
                            settings.concurrency(),
                            settings.concurrency(),
                            1,
                            TimeUnit.MINUTES,
                            new ArrayBlockingQueue<>(Math.max(1, settings.queue())),
                            r -> {
                                Thread t = new Thread(r, "hub-sdk-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    p.allowCoreThreadTimeOut(true);
                    pool = p;
                }
            }
        }
        return p;
    }

    private SdkGenerator generator() {
        SdkGenerator g = generator;
        if (g == null) {
            synchronized (this) {
                g = generator;
                if (g == null) generator = g = new SdkGenerator(settings.workPath(), settings.maxZipBytes());
            }
        }
        return g;
    }

    @PreDestroy
    void close() {
        ThreadPoolExecutor p = pool;
        if (p != null) p.shutdownNow();
    }
}
