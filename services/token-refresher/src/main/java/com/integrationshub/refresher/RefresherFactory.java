package com.integrationshub.refresher;

import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.oauth.client.OutboundGuard;
import com.integrationshub.oauth.client.TokenEndpointClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The refresher's collaborators that are not its own classes: policy, clock, and the token endpoint client. */
@Factory
public class RefresherFactory {

    /** The name of the threads that call providers' token endpoints. */
    public static final String PROVIDER_THREADS = "oauth-providers";

    /** The refresh policy; its jitter is drawn only on the scheduler thread. */
    @Singleton
    RefreshPolicy refreshPolicy(RefresherSettings settings, BackoffSettings backoff) {
        return new RefreshPolicy(
                new RefreshPolicy.Settings(
                        settings.defaultMargin(),
                        settings.floor(),
                        settings.idleRefreshPeriod(),
                        backoff.initial(),
                        backoff.max(),
                        backoff.jitter(),
                        backoff.maxAttempts(),
                        backoff.roundPause()),
                new SplittableRandom());
    }

    /** Wall-clock time: token expiries are wall-clock instants. */
    @Singleton
    @Named("refresher")
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Threads for token calls (the outbound guard's name resolution and the HTTP client's work): {@code
     * hub.refresher.provider.threads} kept, more started while many calls resolve names at once.
     */
    @Singleton
    @Named(PROVIDER_THREADS)
    @Bean(preDestroy = "shutdownNow")
    ExecutorService providerThreads(ProviderSettings settings) {
        final AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(
                settings.threads(), Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                    final Thread thread = new Thread(task, PROVIDER_THREADS + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The token endpoint client, behind the outbound guard, with the refresher's timeouts; redirects never followed. */
    @Singleton
    TokenEndpointClient tokenEndpointClient(
            OutboundGuard guard, ProviderSettings settings, @Named(PROVIDER_THREADS) ExecutorService threads) {
        return new TokenEndpointClient(guard, settings.connectTimeout(), settings.readTimeout(), threads);
    }
}
