package com.integrationshub.refresher;

import com.integrationshub.domain.token.RefreshPolicy;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.SplittableRandom;

/** The refresher's collaborators that are not its own classes: policy, clock, and the HTTP client for providers. */
@Factory
public class RefresherFactory {

    /** The name of the HTTP client that calls providers' token endpoints. */
    public static final String PROVIDER_CLIENT = "oauth-providers";

    /** The refresh policy; its jitter is drawn only on the scheduler thread. */
    @Singleton
    RefreshPolicy refreshPolicy(RefresherSettings settings) {
        return new RefreshPolicy(settings.policy(), new SplittableRandom());
    }

    /** Wall-clock time: token expiries are wall-clock instants. */
    @Singleton
    @Named("refresher")
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A client for absolute token URLs of any provider, with the refresher's timeouts; 4xx/5xx are answers, not errors. */
    @Singleton
    @Named(PROVIDER_CLIENT)
    @Bean(preDestroy = "close")
    HttpClient providerClient(RefresherSettings settings) {
        final DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setConnectTimeout(settings.providerConnectTimeout());
        configuration.setReadTimeout(settings.providerReadTimeout());
        configuration.setNumOfThreads(settings.providerThreads());
        configuration.setExceptionOnErrorStatus(false);
        configuration.setFollowRedirects(false);
        return HttpClient.create(null, configuration);
    }
}
