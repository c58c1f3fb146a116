package com.integrationshub.testkit.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAuthenticationTest {

    private static final Map<String, RegisteredClient> CLIENTS = Map.of(
            "basic:app", new RegisteredClient("basic:app", "s&cret", ClientAuth.BASIC, Set.of()),
            "post-app", new RegisteredClient("post-app", "post-secret", ClientAuth.POST, Set.of()));

    @Test
    void shouldAuthenticateABasicClientWhoseIdAndSecretAreFormEncoded() {
        ClientAuthentication.Result result =
                ClientAuthentication.authenticate(CLIENTS, Map.of(), basic("basic:app", "s&cret"));

        assertEquals(
                "basic:app",
                assertInstanceOf(ClientAuthentication.Authenticated.class, result)
                        .client()
                        .id());
    }

    @Test
    void shouldRefuseAClientUsingTheOtherMethodThanItsOwn() {
        assertEquals(
                401,
                refusal(ClientAuthentication.authenticate(
                                CLIENTS, Map.of("client_id", "basic:app", "client_secret", "s&cret"), null))
                        .status());
        assertEquals(
                401,
                refusal(ClientAuthentication.authenticate(CLIENTS, Map.of(), basic("post-app", "post-secret")))
                        .status());
    }

    @Test
    void shouldRefuseTwoMethodsAtOnceAndAWrongSecret() {
        TokenAnswer both = refusal(ClientAuthentication.authenticate(
                CLIENTS, Map.of("client_secret", "s&cret"), basic("basic:app", "s&cret")));
        assertEquals(400, both.status());
        assertEquals("invalid_request", both.error());

        TokenAnswer wrong = refusal(ClientAuthentication.authenticate(
                CLIENTS, Map.of("client_id", "post-app", "client_secret", "nope"), null));
        assertEquals(401, wrong.status());
        assertEquals("invalid_client", wrong.error());
    }

    private static TokenAnswer refusal(ClientAuthentication.Result result) {
        return assertInstanceOf(ClientAuthentication.Refused.class, result).answer();
    }

    private static String basic(String id, String secret) {
        String pair =
                URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
