package com.integrationshub.oauth.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The check every outbound call of the hub passes (token endpoints of both services; provider URLs when a
 * connection is created or changed): {@code https} unless {@link OutboundPolicy#allowInsecureHttp()}, and no address
 * of the host on loopback, private, link-local, unspecified, broadcast or multicast networks unless the policy allows
 * that kind. Every address the name resolves to is checked, so a name with one public and one private address is
 * refused.
 *
 * <p>DNS rebinding: {@code java.net.http.HttpClient} resolves the host itself when it connects and cannot be handed
 * the checked address without breaking TLS host name verification. The check resolves through the same JVM-wide
 * cache ({@link InetAddress#getAllByName}) the client's connect then uses, and that cache keeps a positive answer for
 * {@code networkaddress.cache.ttl} (30 s by default, whatever TTL the DNS answer had), so a name answering a public
 * address to the check and a private one to the connect would have to expire from the cache in the milliseconds
 * between the two. That residual window remains, and it is wider if the operator sets
 * {@code networkaddress.cache.ttl=0}; do not, on hosts that call providers.
 */
public final class OutboundGuard {

    /** Resolves a host name (the JVM's resolver in production, a fixed table in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final OutboundPolicy policy;
    private final Resolver resolver;

    public OutboundGuard(OutboundPolicy policy) {
        this(policy, InetAddress::getAllByName);
    }

    public OutboundGuard(OutboundPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /** The policy. */
    public OutboundPolicy policy() {
        return policy;
    }

    /**
     * Checks a URL about to be called: its scheme, then every address its host resolves to.
     *
     * @return the checked addresses
     * @throws OutboundRefusedException when the URL or any address is not allowed, or the host does not resolve
     */
    public List<InetAddress> check(URI uri) {
        final String host = checkUrl(uri);
        final InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new OutboundRefusedException("unresolvable_host", "the host does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new OutboundRefusedException("unresolvable_host", "the host does not resolve");
        }
        for (InetAddress address : addresses) {
            refusal(address).ifPresent(why -> {
                throw new OutboundRefusedException("address_not_allowed", why);
            });
        }
        return List.of(addresses);
    }

    /**
     * Checks a URL given for later calls (a connection's authorization or token URL): why it is not allowed, or
     * empty. A host that does not resolve now is accepted (DNS may be down; every call is checked again).
     */
    public Optional<String> problem(String url) {
        final URI uri;
        try {
            // {entity_id} is filled per org later (one path segment); it must not make the rest of the URL invalid.
            uri = URI.create(url.replace(EntityIds.PLACEHOLDER, "entity"));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.of("must be a valid URL");
        }
        try {
            check(uri);
            return Optional.empty();
        } catch (OutboundRefusedException e) {
            return "unresolvable_host".equals(e.code()) ? Optional.empty() : Optional.of(e.getMessage());
        }
    }

    /** The scheme and shape of a URL; returns its host. */
    private String checkUrl(URI uri) {
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && policy.allowInsecureHttp())) {
            throw new OutboundRefusedException(
                    "insecure_url",
                    scheme.equals("http")
                            ? "must be an https URL (http is allowed only with hub.oauth.allow-insecure-http)"
                            : "must be an https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new OutboundRefusedException("invalid_url", "must be an absolute URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new OutboundRefusedException("invalid_url", "must not contain user information");
        }
        final String host = uri.getHost();
        // URI keeps the brackets of an IPv6 literal.
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why an address is not allowed under the policy, or empty. */
    public Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            final Optional<Inet4Address> embedded = embeddedV4(v6);
            if (embedded.isPresent()) return refusal(embedded.get());
        }
        if (address.isAnyLocalAddress() || thisNetwork(address)) {
            return Optional.of("resolves to an unspecified address");
        }
        if (address.isMulticastAddress() || broadcast(address)) {
            return Optional.of("resolves to a multicast or broadcast address");
        }
        if (address.isLoopbackAddress()) {
            return policy.allowLoopback()
                    ? Optional.empty()
                    : Optional.of("resolves to a loopback address (allowed only with hub.oauth.allow-loopback)");
        }
        if (address.isLinkLocalAddress()) {
            return policy.allowLinkLocal()
                    ? Optional.empty()
                    : Optional.of("resolves to a link-local address (allowed only with hub.oauth.allow-link-local)");
        }
        if (address.isSiteLocalAddress() || uniqueLocal(address) || sharedAddressSpace(address)) {
            return policy.allowPrivateNetworks()
                    ? Optional.empty()
                    : Optional.of("resolves to a private address (allowed only with hub.oauth.allow-private-networks)");
        }
        return Optional.empty();
    }

    /** 0.0.0.0/8: "this network"; connecting to it reaches the local host on common systems. */
    private static boolean thisNetwork(InetAddress address) {
        return address instanceof Inet4Address && address.getAddress()[0] == 0;
    }

    private static boolean broadcast(InetAddress address) {
        if (!(address instanceof Inet4Address)) return false;
        for (byte b : address.getAddress()) if (b != (byte) 0xFF) return false;
        return true;
    }

    /** fc00::/7. */
    private static boolean uniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xFE) == 0xFC;
    }

    /** 100.64.0.0/10 (RFC 6598, carrier-grade NAT): not public. */
    private static boolean sharedAddressSpace(InetAddress address) {
        if (!(address instanceof Inet4Address)) return false;
        final byte[] b = address.getAddress();
        return (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Optional<Inet4Address> embeddedV4(Inet6Address address) {
        final byte[] b = address.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) if (b[i] != 0) compatible = false;
        // ::1 and :: are IPv6 loopback / unspecified themselves, not IPv4-compatible addresses.
        if (compatible && !address.isLoopbackAddress() && !address.isAnyLocalAddress()) return v4(b, 12);
        final boolean nat64 = b[0] == 0x00
                && b[1] == 0x64
                && b[2] == (byte) 0xFF
                && b[3] == (byte) 0x9B
                && b[4] == 0
                && b[5] == 0
                && b[6] == 0
                && b[7] == 0
                && b[8] == 0
                && b[9] == 0
                && b[10] == 0
                && b[11] == 0;
        if (nat64) return v4(b, 12);
        if (b[0] == 0x20 && b[1] == 0x02) return v4(b, 2);
        return Optional.empty();
    }

    private static Optional<Inet4Address> v4(byte[] b, int from) {
        try {
            return Optional.of((Inet4Address)
                    InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]}));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
