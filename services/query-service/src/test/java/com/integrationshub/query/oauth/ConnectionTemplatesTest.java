package com.integrationshub.query.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.integrationshub.common.GrantType;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.provider.ProviderCatalogue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filling a connection request from a catalogue entry, without a broker: what is filled, what wins, what is refused. */
class ConnectionTemplatesTest {

    private static final ConnectionTemplates TEMPLATES = new ConnectionTemplates(ProviderCatalogue.builtIn());

    @Test
    void shouldFillEveryMemberTheRequestLeavesOutFromTheEntry() {
        JsonBody body = TEMPLATES.fill(
                JsonBody.parse("{\"connection_name\": \"ms\", \"provider\": \"microsoft\", \"client_id\": \"c\"}"));

        assertEquals(GrantType.AUTHORIZATION_CODE, ConnectionJson.readGrant(body), "grant_type");
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/authorize",
                body.optionalString("authorization_url"),
                "authorization_url keeps {entity_id}");
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token",
                body.optionalString("token_url"),
                "token_url keeps {entity_id}");
        assertEquals(List.of("offline_access"), body.optionalStringList("scopes"), "scopes");
        assertEquals("client_secret_post", body.optionalString("client_auth_method"), "client_auth_method");
        assertEquals(Map.of(), body.optionalStringMap("extra_authorize_params"), "extra_authorize_params");
    }

    @Test
    void shouldKeepWhatTheRequestSetsEvenNull() {
        JsonBody body = TEMPLATES.fill(JsonBody.parse("""
                {"connection_name": "g", "provider": "google", "client_id": "c", "scopes": ["drive"],
                 "token_url": "https://proxy.example/token", "extra_authorize_params": null}"""));

        assertEquals(List.of("drive"), body.optionalStringList("scopes"), "scopes as sent");
        assertEquals("https://proxy.example/token", body.optionalString("token_url"), "token_url as sent");
        assertEquals(null, body.optionalStringMap("extra_authorize_params"), "null as sent");
        assertEquals("https://accounts.google.com/o/oauth2/v2/auth", body.optionalString("authorization_url"));
    }

    @Test
    void shouldUseTheFirstGrantTypeOfAClientCredentialsOnlyProvider() {
        JsonBody body = TEMPLATES.fill(JsonBody.parse("{\"provider\": \"paypal\"}"));

        assertEquals(GrantType.CLIENT_CREDENTIALS, ConnectionJson.readGrant(body), "grant_type");
        assertFalse(body.has("authorization_url"), "no authorization_url to fill");
    }

    @Test
    void shouldLeaveABodyWithoutProviderAlone() {
        JsonBody body = JsonBody.parse("{\"connection_name\": \"plain\"}");

        assertSame(body, TEMPLATES.fill(body));
        assertFalse(body.has("token_url"), "nothing filled");
    }

    @Test
    void shouldRefuseAnUnknownOrMalformedProviderNamingTheFieldWithoutEchoingIt() {
        for (String provider :
                List.of("\"no-such-provider-7f3a\"", "42", "\"../etc/passwd\"", "\"" + "x".repeat(300) + "\"")) {
            ProblemException e = assertThrows(
                    ProblemException.class,
                    () -> TEMPLATES.fill(JsonBody.parse("{\"provider\": " + provider + "}")),
                    provider);
            assertEquals(422, e.status(), "status for " + provider);
            assertEquals(
                    List.of("provider"),
                    e.errors().stream().map(f -> f.getField()).toList(),
                    "field");
            assertFalse(e.errors().get(0).getMessage().contains("7f3a"), "the value is not echoed");
        }
    }
}
