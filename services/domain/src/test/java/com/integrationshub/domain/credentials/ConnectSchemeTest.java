package com.integrationshub.domain.credentials;

import static com.integrationshub.domain.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.integrationshub.common.AuthScheme;
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
    void shouldRefuseOAuth1() {
        assertEquals(
                Optional.of("OAUTH1 is not supported by this service"),
                ConnectScheme.refusal(integration(AuthScheme.OAUTH1, null), AuthScheme.OAUTH1));
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
