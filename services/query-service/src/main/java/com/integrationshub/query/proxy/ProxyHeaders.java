package com.integrationshub.query.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which headers cross the proxy (API.md, "Calling the provider through the hub"): never the hop-by-hop ones (RFC 9110
 * §7.6.1, those named in {@code Connection}, and {@code Proxy-Authorization}); towards the provider never the
 * caller's {@code Authorization} or {@code Cookie}; back to the caller never {@code Set-Cookie}. Also dropped: the
 * headers the JDK client sets itself and refuses to be given ({@code Host}, {@code Content-Length}, {@code Expect}).
 */
public final class ProxyHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "proxy-connection",
            "keep-alive",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-authorization",
            "proxy-authenticate");

    private static final Set<String> NOT_UPSTREAM =
            Set.of("authorization", "cookie", "host", "content-length", "expect", "x-hub-proxy");

    private static final Set<String> NOT_BACK = Set.of("set-cookie", "set-cookie2");

    private ProxyHeaders() {}

    /** The caller's headers that go to the provider, in order. */
    public static List<Map.Entry<String, String>> upstream(List<Map.Entry<String, String>> caller) {
        return keep(caller, NOT_UPSTREAM);
    }

    /** The provider's headers that go back to the caller, in order. */
    public static List<Map.Entry<String, String>> back(List<Map.Entry<String, String>> provider) {
        return keep(provider, NOT_BACK);
    }

    private static List<Map.Entry<String, String>> keep(List<Map.Entry<String, String>> headers, Set<String> dropped) {
        Set<String> named = new TreeSet<>();
        for (var h : headers) {
            if (h.getKey().equalsIgnoreCase("connection")) {
                for (String token : h.getValue().split(",")) named.add(lower(token.trim()));
            }
        }
        List<Map.Entry<String, String>> kept = new ArrayList<>();
        for (var h : headers) {
            String name = lower(h.getKey());
            if (name.startsWith(":") || HOP_BY_HOP.contains(name) || named.contains(name) || dropped.contains(name))
                continue;
            // A value with a line break would split into two headers: never forwarded.
            if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) continue;
            kept.add(Map.entry(h.getKey(), h.getValue()));
        }
        return kept;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
