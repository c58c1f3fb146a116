package com.integrationshub.oauth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundGuardTest {

    private static final OutboundPolicy ALL = new OutboundPolicy(true, true, true, true);

    private static OutboundRefusedException refused(OutboundPolicy policy, String url) {
        return assertThrows(OutboundRefusedException.class, () -> new OutboundGuard(policy).check(URI.create(url)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/token",
                "https://127.1.2.3/token",
                "https://[::1]/token",
                "https://10.1.2.3/token",
                "https://172.16.0.1/token",
                "https://172.31.255.255/token",
                "https://192.168.1.1/token",
                "https://[fc00::1]/token",
                "https://[fd12:3456::1]/token",
                "https://169.254.169.254/latest/meta-data",
                "https://[fe80::1]/token",
                "https://0.0.0.0/token",
                "https://[::]/token",
                "https://224.0.0.1/token",
                "https://255.255.255.255/token",
                "https://[::ffff:127.0.0.1]/token",
                "https://[::ffff:169.254.169.254]/token",
                "https://100.64.0.1/token",
                "https://[64:ff9b::a00:1]/token",
                "https://[2002:a9fe:a9fe::]/token"
            })
    void shouldRefuseNonPublicAddressesByDefault(String url) {
        assertEquals(
                "address_not_allowed", refused(OutboundPolicy.secure(), url).code());
    }

    @Test
    void shouldRefuseHttpUnlessAllowed() {
        final OutboundRefusedException e = refused(OutboundPolicy.secure(), "http://93.184.216.34/token");
        assertEquals("insecure_url", e.code());
        assertTrue(e.getMessage().contains("hub.oauth.allow-insecure-http"), e.getMessage());
        new OutboundGuard(new OutboundPolicy(true, false, false, false))
                .check(URI.create("http://93.184.216.34/token"));
        assertEquals("insecure_url", refused(ALL, "ftp://93.184.216.34/token").code());
        assertEquals("insecure_url", refused(ALL, "file:///etc/passwd").code());
    }

    @Test
    void shouldAcceptHttpsToAPublicAddress() {
        assertEquals(
                1,
                new OutboundGuard(OutboundPolicy.secure())
                        .check(URI.create("https://93.184.216.34/token"))
                        .size());
        assertEquals(
                1,
                new OutboundGuard(OutboundPolicy.secure())
                        .check(URI.create("https://[2606:2800:220:1::1]/t"))
                        .size());
    }

    @Test
    void shouldAllowEachKindOnlyWithItsOwnSetting() {
        final OutboundGuard loopback = new OutboundGuard(new OutboundPolicy(true, true, false, false));
        loopback.check(URI.create("http://127.0.0.1:8080/token"));
        loopback.check(URI.create("http://[::1]:8080/token"));
        assertThrows(OutboundRefusedException.class, () -> loopback.check(URI.create("http://10.0.0.1/token")));
        assertThrows(OutboundRefusedException.class, () -> loopback.check(URI.create("http://169.254.169.254/")));

        final OutboundGuard priv = new OutboundGuard(new OutboundPolicy(false, false, true, false));
        priv.check(URI.create("https://10.0.0.1/token"));
        priv.check(URI.create("https://192.168.0.10/token"));
        assertThrows(OutboundRefusedException.class, () -> priv.check(URI.create("https://169.254.169.254/")));
        assertThrows(OutboundRefusedException.class, () -> priv.check(URI.create("https://127.0.0.1/")));

        new OutboundGuard(new OutboundPolicy(false, false, false, true)).check(URI.create("https://169.254.169.254/"));
        // Unspecified and multicast addresses have no setting.
        assertThrows(
                OutboundRefusedException.class, () -> new OutboundGuard(ALL).check(URI.create("https://0.0.0.0/")));
        assertThrows(
                OutboundRefusedException.class, () -> new OutboundGuard(ALL).check(URI.create("https://224.0.0.1/")));
    }

    @Test
    void shouldRefuseANameWhenAnyOfItsAddressesIsNotAllowed() throws UnknownHostException {
        final InetAddress[] mixed = {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")};
        final OutboundGuard guard = new OutboundGuard(OutboundPolicy.secure(), host -> mixed);
        final OutboundRefusedException e = assertThrows(
                OutboundRefusedException.class, () -> guard.check(URI.create("https://provider.example/token")));
        assertFalse(e.getMessage().contains("10.0.0.7"), "the address is not echoed: " + e.getMessage());
        assertFalse(e.getMessage().contains("provider.example"), "the host is not echoed: " + e.getMessage());
    }

    @Test
    void shouldRefuseUserInfoAndUnresolvableHostsWhenCalling() {
        assertEquals(
                "invalid_url",
                refused(ALL, "https://user:pw@93.184.216.34/token").code());
        final OutboundGuard guard = new OutboundGuard(OutboundPolicy.secure(), host -> {
            throw new UnknownHostException(host);
        });
        assertEquals(
                "unresolvable_host",
                assertThrows(
                                OutboundRefusedException.class,
                                () -> guard.check(URI.create("https://nowhere.example/token")))
                        .code());
        assertTrue(
                guard.problem("https://nowhere.example/{entity_id}/token").isEmpty(),
                "an unresolvable host is accepted when a connection is saved (checked again on every call)");
    }

    @Test
    void shouldNameTheProblemOfAConnectionUrl() {
        final OutboundGuard guard = new OutboundGuard(OutboundPolicy.secure());
        assertTrue(guard.problem("http://93.184.216.34/{entity_id}/token")
                .orElseThrow()
                .contains("https"));
        assertTrue(guard.problem("https://127.0.0.1/{entity_id}/token")
                .orElseThrow()
                .contains("loopback"));
        assertTrue(guard.problem("https://93.184.216.34/{entity_id}/token").isEmpty());
    }
}
