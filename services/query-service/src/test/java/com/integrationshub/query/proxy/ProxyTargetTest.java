package com.integrationshub.query.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyTargetTest {

    @Test
    void shouldJoinBasePathAndBothQueries() {
        var target = ProxyTarget.of("https://api.example/v2/?tenant=t1", "tickets/7", "q=a%20b");
        assertEquals(
                "https://api.example/v2/tickets/7?tenant=t1&q=a%20b",
                target.uri().toString());
    }

    @Test
    void shouldSendAnEmptyPathAsTheBaseWithASlash() {
        assertEquals(
                "https://api.example/v2/",
                ProxyTarget.of("https://api.example/v2", "", null).uri().toString());
    }

    @Test
    void shouldRefuseDotSegmentsPlainOrEncoded() {
        for (String path : List.of("../admin", "a/%2e%2e/b", "a/%2E%2e", "./x", "a%2fb", "a%5c..")) {
            var target = ProxyTarget.of("https://api.example/v2", path, null);
            assertNull(target.uri(), path);
            assertTrue(target.badPath(), path);
        }
    }

    @Test
    void shouldNeverLeaveTheBasesHost() {
        for (String path : List.of("@evil.example/x", "/evil.example/x", "%40evil.example")) {
            var target = ProxyTarget.of("https://api.example", path, null);
            if (target.uri() != null) assertEquals("api.example", target.uri().getHost(), path);
        }
    }

    @Test
    void shouldRefuseAMissingOrRelativeBase() {
        assertTrue(ProxyTarget.of(null, "x", null).refusal() != null);
        assertTrue(ProxyTarget.of("/relative", "x", null).refusal() != null);
        assertTrue(!ProxyTarget.of("/relative", "x", null).badPath());
    }

    @Test
    void shouldDropHopByHopAndTheCallersCredentials() {
        var kept = ProxyHeaders.upstream(List.of(
                Map.entry("Authorization", "Bearer hub"),
                Map.entry("Cookie", "s=1"),
                Map.entry("Connection", "keep-alive, X-Hop"),
                Map.entry("X-Hop", "1"),
                Map.entry("Keep-Alive", "timeout=5"),
                Map.entry("Proxy-Authorization", "Basic x"),
                Map.entry("X-Split", "a\r\nHost: evil"),
                Map.entry("Accept", "application/json")));
        assertEquals(List.of(Map.entry("Accept", "application/json")), kept);
        var back = ProxyHeaders.back(List.of(
                Map.entry("Set-Cookie", "s=1"), Map.entry("Transfer-Encoding", "chunked"), Map.entry("ETag", "\"1\"")));
        assertEquals(List.of(Map.entry("ETag", "\"1\"")), back);
    }
}
