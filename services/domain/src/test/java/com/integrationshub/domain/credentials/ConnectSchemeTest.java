package com.integrationshub.domain.credentials;

import static com.integrationshub.domain.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.GrantType;
import com.integrationshub.state.IntegrationState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectSchemeTest {

    @Test
    void shouldAcceptTheIntegrationsOwnStaticScheme() {
        assertEquals(
                Optional.empty(), ConnectScheme.refusal(integration(AuthScheme.API_KEY, null), AuthScheme.API_KEY));
    }

    @Test
    void shouldRefuseAnotherSchemeThanTheIntegrations() {
        assertEquals(
                Optional.of("integration 'Keys' uses API_KEY"),
                ConnectScheme.refusal(integration(AuthScheme.API_KEY, null), AuthScheme.BASIC));
    }

    @Test
    void shouldRefuseOAuth1WithoutAConnectionAndAcceptItWithOne() {
        assertEquals(
                Optional.of("integration 'Keys' has no oauth_connection"),
                ConnectScheme.refusal(integration(AuthScheme.OAUTH1, null), AuthScheme.OAUTH1));
        assertEquals(
                Optional.empty(), ConnectScheme.refusal(integration(AuthScheme.OAUTH1, "trello"), AuthScheme.OAUTH1));
    }

    @Test
    void shouldRefuseAConnectionOfTheOtherProtocol() {
        assertEquals(
                Optional.of("OAuth connection 'halo' is OAuth 2.0, the integration OAUTH1"),
                ConnectScheme.grantRefusal(AuthScheme.OAUTH1, GrantType.AUTHORIZATION_CODE, "halo"));
        assertEquals(
                Optional.of("OAuth connection 'trello' is OAuth 1.0a, the integration OAUTH2"),
                ConnectScheme.grantRefusal(AuthScheme.OAUTH2, GrantType.OAUTH1, "trello"));
        assertEquals(Optional.empty(), ConnectScheme.grantRefusal(AuthScheme.OAUTH1, GrantType.OAUTH1, "trello"));
        assertEquals(
                Optional.empty(), ConnectScheme.grantRefusal(AuthScheme.OAUTH2, GrantType.CLIENT_CREDENTIALS, "graph"));
    }

    @Test
    void shouldRefuseOAuth2WithoutAConnectionAndAcceptItWithOne() {
        assertEquals(
                Optional.of("integration 'Keys' has no oauth_connection"),
                ConnectScheme.refusal(integration(AuthScheme.OAUTH2, null), AuthScheme.OAUTH2));
        assertEquals(
                Optional.empty(), ConnectScheme.refusal(integration(AuthScheme.OAUTH2, "halo"), AuthScheme.OAUTH2));
    }

    private static IntegrationState integration(AuthScheme scheme, String connection) {
        return IntegrationState.newBuilder()
                .setId("i-1")
                .setName("Keys")
                .setAuthScheme(scheme)
                .setConfigSchema(List.of())
                .setDefaults(Map.of())
                .setCredentialHeaders(Map.of())
                .setVersion(1)
                .setOauthConnection(connection)
                .setCreatedAt(T0)
                .setUpdatedAt(T0)
                .build();
    }
}
