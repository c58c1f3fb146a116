package com.integrationshub.runtime.outbound;

import com.integrationshub.oauth.client.OutboundPolicy;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the hub may call out to (hub.oauth.allow-* in application.yml): the outbound guard's policy for provider
 * URLs. Every default is the secure one; the local stack and the tests with a loopback provider allow
 * {@code http} and loopback.
 */
@ConfigurationProperties("hub.oauth")
public class OutboundSettings {

    private boolean allowInsecureHttp;
    private boolean allowLoopback;
    private boolean allowPrivateNetworks;
    private boolean allowLinkLocal;

    /** {@code http://} provider URLs allowed (default false: https only). */
    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    /** Provider hosts on 127.0.0.0/8 or ::1 allowed (default false). */
    public boolean isAllowLoopback() {
        return allowLoopback;
    }

    public void setAllowLoopback(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Provider hosts on 10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7 allowed (default false). */
    public boolean isAllowPrivateNetworks() {
        return allowPrivateNetworks;
    }

    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /** Provider hosts on 169.254/16 or fe80::/10 (where cloud metadata services answer) allowed (default false). */
    public boolean isAllowLinkLocal() {
        return allowLinkLocal;
    }

    public void setAllowLinkLocal(boolean allowLinkLocal) {
        this.allowLinkLocal = allowLinkLocal;
    }

    /** The guard's policy. */
    public OutboundPolicy policy() {
        return new OutboundPolicy(allowInsecureHttp, allowLoopback, allowPrivateNetworks, allowLinkLocal);
    }
}
