package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.generated.ApiClient;
import com.integrationshub.generated.ApiException;
import com.integrationshub.generated.api.CredentialsApi;
import com.integrationshub.generated.api.IntegrationsApi;
import com.integrationshub.generated.api.MappingsApi;
import com.integrationshub.generated.api.OrgViewApi;
import com.integrationshub.generated.model.ConfigField;
import com.integrationshub.generated.model.ConnectRequest;
import com.integrationshub.generated.model.Defaults;
import com.integrationshub.generated.model.Integration;
import com.integrationshub.generated.model.IntegrationData;
import com.integrationshub.generated.model.IntegrationMappingResponse;
import com.integrationshub.generated.model.MappingRequest;
import com.integrationshub.generated.model.NewIntegration;
import com.integrationshub.generated.model.Problem;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is usable, not just present: the Java client openapi-generator made from it at build time
 * (target/generated-test-sources/openapi-client, see the pom) calls a running hub and reads its answers, problems
 * included, with the generated models.
 */
class OpenApiClientTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static HubInstance hub;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        Await.ready(new Http(hub.url(), TestTokens.admin()));
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldCreateReadAndMapAnIntegrationAndReadTheOrgViewWithTheGeneratedClient() throws ApiException {
        ApiClient admin = client(TestTokens.admin());
        IntegrationsApi integrations = new IntegrationsApi(admin);
        String name = "generated-" + SEQUENCE.incrementAndGet();

        Integration created = integrations.createIntegration(
                new NewIntegration()
                        .name(name)
                        .description("made by the generated client")
                        .authScheme(NewIntegration.AuthSchemeEnum.API_KEY)
                        .configSchema(List.of(
                                new ConfigField()
                                        .key("base_url")
                                        .type(ConfigField.TypeEnum.STRING)
                                        .required(true),
                                new ConfigField().key("timeout").type(ConfigField.TypeEnum.INT)))
                        .credentialHeaders(Map.of("Authorization", "Bearer {api_key}")),
                null);
        assertEquals(name, created.getName(), "created name");
        assertEquals(Integration.AuthSchemeEnum.API_KEY, created.getAuthScheme(), "created auth_scheme");
        assertEquals(2, created.getConfigSchema().size(), "created config_schema");
        assertEquals(1L, created.getVersion(), "version of a new integration");

        Integration read = integrations.getIntegration(name);
        assertEquals(created.getId(), read.getId(), "the integration read back");
        assertEquals(created.getCreatedAt(), read.getCreatedAt(), "created_at read back as a time");

        Integration withDefaults = integrations.setIntegrationDefaults(
                name, new Defaults().config(Map.of("base_url", "https://halo.example", "timeout", 30)), "\"1\"", null);
        assertEquals(2L, withDefaults.getVersion(), "version after the defaults");

        IntegrationMappingResponse mapping = new MappingsApi(admin)
                .upsertMapping(
                        name,
                        "org-123",
                        new MappingRequest()
                                .entityId("tenant-456")
                                .entityName("Acme Corp")
                                .config(Map.of("timeout", 60)),
                        null,
                        null);
        assertEquals(created.getId(), mapping.getIntegrationId(), "mapping's integration_id");
        assertEquals("org-123", mapping.getOrganizationId(), "mapping's organization_id");
        assertEquals("tenant-456", mapping.getEntityId(), "mapping's entity_id");

        ApiClient org = client(TestTokens.org("org-123"));
        new CredentialsApi(org)
                .connectIntegration(
                        "org-123",
                        name,
                        new ConnectRequest()
                                .authScheme(ConnectRequest.AuthSchemeEnum.API_KEY)
                                .data(Map.of("api_key", "sk_live_1")),
                        null);
        IntegrationData view = new OrgViewApi(org).getOrgIntegration("org-123", name);
        assertEquals(name, view.getName(), "org view's name");
        assertEquals("tenant-456", view.getEntityId(), "org view's entity_id");
        assertEquals("Acme Corp", view.getEntityName(), "org view's entity_name");
        assertEquals(
                Map.of("base_url", "https://halo.example", "timeout", 60),
                view.getConfig(),
                "the defaults overlaid by the org's overrides");
        assertNull(view.getOauth(), "no OAuth connection, no oauth");
        assertEquals(
                Map.of("Authorization", "Bearer sk_live_1"),
                new CredentialsApi(org).getCredentials("org-123", name).getAdditionalProperties(),
                "the credential headers rendered");
    }

    @Test
    void shouldReadProblemsWithTheGeneratedProblemModel() throws Exception {
        ApiClient admin = client(TestTokens.admin());
        IntegrationsApi integrations = new IntegrationsApi(admin);

        ApiException missing =
                assertThrows(ApiException.class, () -> integrations.getIntegration("no-such-integration"));
        assertEquals(404, missing.getCode(), "status of a missing integration");
        assertTrue(
                missing.getResponseHeaders()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("application/problem+json"),
                "a problem answer");
        Problem notFound = admin.getObjectMapper().readValue(missing.getResponseBody(), Problem.class);
        assertEquals(404, notFound.getStatus(), "problem status");
        assertTrue(notFound.getType().endsWith("/not-found"), "problem type, got " + notFound.getType());

        String name = "generated-" + SEQUENCE.incrementAndGet();
        NewIntegration body = new NewIntegration()
                .name(name)
                .authScheme(NewIntegration.AuthSchemeEnum.NO_AUTH)
                .configSchema(List.of(new ConfigField().key("base_url").type(ConfigField.TypeEnum.STRING)));
        integrations.createIntegration(body, null);
        ApiException taken = assertThrows(ApiException.class, () -> integrations.createIntegration(body, null));
        assertEquals(409, taken.getCode(), "a second create of the name");

        ApiException invalid = assertThrows(
                ApiException.class,
                () -> integrations.setIntegrationDefaults(name, new Defaults().config(Map.of("nope", 1)), null, null));
        assertEquals(422, invalid.getCode(), "an unknown key");
        Problem problem = admin.getObjectMapper().readValue(invalid.getResponseBody(), Problem.class);
        assertEquals(422, problem.getStatus(), "problem status");
        assertEquals(
                "config.nope",
                problem.getErrors().get(0).getField(),
                "the field error names the key: " + invalid.getResponseBody());

        ApiException anonymous =
                assertThrows(ApiException.class, () -> new IntegrationsApi(client(null)).listIntegrations());
        assertEquals(401, anonymous.getCode(), "no token");
    }

    /** A generated client on the hub, sending the bearer token (the native library's way: a request interceptor). */
    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(hub.url());
        if (token != null) client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
