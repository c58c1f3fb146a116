package com.integrationshub.query.oauth;

import com.integrationshub.oauth.client.OutboundGuard;
import com.integrationshub.oauth.client.TokenEndpointClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The client this service calls token endpoints with (code exchange, client credentials), behind the outbound guard. */
@Factory
public class TokenEndpointFactory {

    private static final String THREADS = "oauth-token-calls";

    /** Threads for the guard's name resolution and the client's work; few calls, so created on demand. */
    @Singleton
    @Named(THREADS)
    @Bean(preDestroy = "shutdownNow")
    ExecutorService tokenCallThreads() {
        final AtomicInteger count = new AtomicInteger();
        return Executors.newCachedThreadPool(task -> {
            final Thread thread = new Thread(task, THREADS + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Singleton
    TokenEndpointClient tokenEndpointClient(
            OutboundGuard guard, @Named(THREADS) ExecutorService threads, OAuthFlowSettings settings) {
        return new TokenEndpointClient(
                guard, settings.tokenEndpointTimeout(), settings.tokenEndpointTimeout(), threads);
    }
}
