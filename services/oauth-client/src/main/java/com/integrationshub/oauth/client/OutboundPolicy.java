package com.integrationshub.oauth.client;

/**
 * Which destinations the hub may call out to. The defaults ({@link #secure()}) allow only {@code https} to public
 * addresses; the local stack and tests allow {@code http} and loopback.
 *
 * @param allowInsecureHttp    {@code http://} URLs allowed
 * @param allowLoopback        127.0.0.0/8 and ::1 allowed
 * @param allowPrivateNetworks 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 (and the old fec0::/10) allowed
 * @param allowLinkLocal       169.254/16 and fe80::/10 allowed (cloud metadata services live there)
 */
public record OutboundPolicy(
        boolean allowInsecureHttp, boolean allowLoopback, boolean allowPrivateNetworks, boolean allowLinkLocal) {

    /** https to public addresses only. */
    public static OutboundPolicy secure() {
        return new OutboundPolicy(false, false, false, false);
    }
}
