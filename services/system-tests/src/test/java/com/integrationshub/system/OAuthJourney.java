package com.integrationshub.system;

import static com.integrationshub.testkit.QueryStrings.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.net.URI;

/** What a person and an admin do through the public HTTP API to connect orgs to a provider. */
final class OAuthJourney {

    final Hub hub;
    final OAuthProviderStandIn provider;
    final Http admin;

    OAuthJourney(Hub hub, OAuthProviderStandIn provider) {
        this.hub = hub;
        this.provider = provider;
        this.admin = new Http(hub.url(), TestTokens.admin());
    }

    /** An authorization-code connection whose URLs hold {entity_id}, and an OAUTH2 integration using it. */
    void defineIntegration(String integration, String connection, ClientAuth auth) {
        defineIntegration(integration, connection, auth, "strict");
    }

    /** The same, with the connection's refresh_token_rotation (strict, grace or none). */
    void defineIntegration(String integration, String connection, ClientAuth auth, String rotation) {
        String clientId = connection + "-client";
        provider.registerClient(clientId, connection + "-secret", auth, hub.url() + "/v1/oauth/callback");
        var created = admin.post("/v1/oauth/connections", """
                {"connection_name": "%s", "client_id": "%s", "client_secret": "%s-secret",
                 "client_auth_method": "%s", "authorization_url": "%s", "token_url": "%s", "scopes": ["read"],
                 "refresh_token_rotation": "%s"}""".formatted(
                        connection,
                        clientId,
                        connection,
                        auth == ClientAuth.BASIC ? "client_secret_basic" : "client_secret_post",
                        provider.url("/{entity_id}/authorize"),
                        provider.url("/{entity_id}/token"),
                        rotation));
        assertEquals(201, created.status(), created.toString());
        var integrationCreated = admin.post("/v1/integrations", """
                {"name": "%s", "auth_scheme": "OAUTH2", "oauth_connection": "%s"}""".formatted(integration, connection));
        assertEquals(201, integrationCreated.status(), integrationCreated.toString());
    }

    /** Maps the org to its tenant, starts the flow, lets the person consent at the provider, and follows the callback. */
    void connect(String integration, String org) {
        var mapped = admin.put(
                "/v1/integrations/" + integration + "/mappings/" + org, "{\"entity_id\": \"tenant-" + org + "\"}");
        if (mapped.status() != 200 && mapped.status() != 201) throw new AssertionError(mapped.toString());
        Http person = admin.as(TestTokens.org(org));
        var connect = person.post(
                "/v1/orgs/" + org + "/integrations/" + integration + "/connect",
                "{\"auth_scheme\": \"OAUTH2\", \"data\": {}}");
        assertEquals(201, connect.status(), connect.toString());
        String back =
                provider.authorize(query(connect.json().get("redirect_url").asText()));
        var callback = new Http(hub.url(), null)
                .get("/v1/oauth/callback?" + URI.create(back).getRawQuery());
        assertEquals(200, callback.status(), callback.toString());
    }

    /** The org's `oauth` member. */
    JsonNode oauth(String integration, String org) {
        var view = admin.as(TestTokens.org(org)).get("/v1/orgs/" + org + "/integrations/" + integration);
        assertEquals(200, view.status(), view.toString());
        return view.json().get("oauth");
    }

    /** The provider's token family of the org's current token. */
    String family(String integration, String org) {
        return provider.familyOf(oauth(integration, org).get("access_token").asText());
    }

    /** POST .../refresh. */
    Http.Reply refresh(String integration, String org) {
        return admin.as(TestTokens.org(org)).post("/v1/orgs/" + org + "/integrations/" + integration + "/refresh", "");
    }
}
