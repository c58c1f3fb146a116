package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The proxy behind the outbound guard with the production defaults (hub.oauth.allow-* all false; the other proxy
 * tests run with loopback and http allowed, as the local stack does): a base URL on loopback, private or link-local
 * addresses answers 422 marked as the hub's, and no connection is made to the target.
 */
class ProxyGuardContractTest {

    private static final String ORG = "org-g";

    private static HubInstance hub;
    private static Http admin;
    private static Http org;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh(Map.of(
                "hub.oauth.allow-insecure-http", false,
                "hub.oauth.allow-loopback", false,
                "hub.oauth.allow-private-networks", false,
                "hub.oauth.allow-link-local", false)));
        admin = new Http(hub.url(), TestTokens.admin());
        org = admin.as(TestTokens.org(ORG));
        Await.ready(admin);
        assertEquals(201, admin.post("/v1/integrations", """
                {"name": "Guarded", "auth_scheme": "NO_AUTH", "config_schema": [{"key": "base_url", "type": "string"}]}""").status());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldRefuseALoopbackTargetWithoutConnectingToIt() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listening.getLocalPort();
            for (String base : new String[] {
                "https://127.0.0.1:" + port + "/api", "https://localhost:" + port + "/api", "https://[::1]:" + port
            }) {
                var refused = proxyTo(base);
                assertEquals(422, refused.status(), base + ": " + refused);
                assertEquals("problem", refused.header("X-Hub-Proxy"), base);
                assertTrue(refused.body().contains("loopback"), base + ": " + refused.body());
                assertTrue(refused.body().contains("base-url-not-allowed"), refused.body());
                assertFalse(refused.body().contains(String.valueOf(port)), "the URL is not echoed: " + refused.body());
            }
            // A connection the hub had made would wait in the backlog.
            listening.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, listening::accept, "no connection reached the target");
        }
    }

    @Test
    void shouldRefusePrivateLinkLocalAndPlainHttpTargets() {
        Map<String, String> why = Map.of(
                "https://10.1.2.3/api", "private",
                "https://192.168.1.1", "private",
                "https://169.254.169.254/latest/meta-data", "link-local",
                "https://[fe80::1]/api", "link-local",
                "https://[::ffff:127.0.0.1]/api", "loopback",
                "http://provider.example/api", "https");
        why.forEach((base, reason) -> {
            var refused = proxyTo(base);
            assertEquals(422, refused.status(), base + ": " + refused);
            assertEquals("problem", refused.header("X-Hub-Proxy"), base);
            assertTrue(refused.body().contains(reason), base + ": " + refused.body());
        });
    }

    private static Http.Reply proxyTo(String base) {
        var set = admin.put("/v1/integrations/Guarded/defaults", "{\"config\": {\"base_url\": \"" + base + "\"}}");
        assertEquals(200, set.status(), set.toString());
        return org.get("/v1/orgs/" + ORG + "/integrations/Guarded/proxy/x");
    }
}
