package com.integrationshub.runtime.outbound;

import com.integrationshub.oauth.client.OutboundGuard;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one outbound guard of a service, from its {@link OutboundSettings}. */
@Factory
public class OutboundGuardFactory {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundGuardFactory.class);

    @Singleton
    OutboundGuard outboundGuard(OutboundSettings settings) {
        final var policy = settings.policy();
        if (policy.allowInsecureHttp()
                || policy.allowLoopback()
                || policy.allowPrivateNetworks()
                || policy.allowLinkLocal()) {
            LOG.warn("outbound calls to providers relaxed: {} (fine for a local stack, not for production)", policy);
        }
        return new OutboundGuard(policy);
    }
}
