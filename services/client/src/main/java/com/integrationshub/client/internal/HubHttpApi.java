package com.integrationshub.client.internal;

import com.integrationshub.client.IntegrationData;
import com.integrationshub.client.IntegrationMapping;
import com.integrationshub.client.MappingRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's HTTP API as a Micronaut declarative client (not part of the client's API: use
 * {@link com.integrationshub.client.IntegrationsHubClient}). The base URL is
 * {@code micronaut.http.services.integrations-hub.url}. An answer of 400 or more fails the future with
 * {@code HttpClientResponseException}.
 */
@Client(id = HubHttpApi.SERVICE_ID, path = "/v1")
public interface HubHttpApi {

    /** The service id the client's URL, timeouts and filter are configured under. */
    String SERVICE_ID = "integrations-hub";
    /** The header that names a write so a retry applies at most once. */
    String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** GET /v1/orgs/{org_id}/integrations/{name}: the org's view. */
    @Get(value = "/orgs/{orgId}/integrations/{name}", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<IntegrationData>> orgView(
            @PathVariable("orgId") String orgId, @PathVariable("name") String name);

    /** GET /v1/orgs/{org_id}/integrations: the org's view of every integration mapped to it. */
    @Get(value = "/orgs/{orgId}/integrations", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<List<IntegrationData>>> orgViews(@PathVariable("orgId") String orgId);

    /** GET /v1/integrations/{name}/global: the global scope's view. */
    @Get(value = "/integrations/{name}/global", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<IntegrationData>> globalView(@PathVariable("name") String name);

    /** GET /v1/integrations/{name}/mappings[?entity_id=X]: the integration's mappings. */
    @Get(value = "/integrations/{name}/mappings", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<List<IntegrationMapping>>> mappings(
            @PathVariable("name") String name, @QueryValue("entity_id") @Nullable String entityId);

    /** GET /v1/integrations/{name}/mappings/{org_id}: one org's mapping. */
    @Get(value = "/integrations/{name}/mappings/{orgId}", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<IntegrationMapping>> mapping(
            @PathVariable("name") String name, @PathVariable("orgId") String orgId);

    /** PUT /v1/integrations/{name}/mappings/{org_id}: 201 when new, 200 when changed. */
    @Put(
            value = "/integrations/{name}/mappings/{orgId}",
            produces = MediaType.APPLICATION_JSON,
            consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<IntegrationMapping>> upsertMapping(
            @PathVariable("name") String name,
            @PathVariable("orgId") String orgId,
            @Body MappingRequest body,
            @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
            @Header(IDEMPOTENCY_KEY) String idempotencyKey);

    /** DELETE /v1/integrations/{name}/mappings/{org_id}: 204. */
    @Delete(value = "/integrations/{name}/mappings/{orgId}")
    CompletableFuture<HttpResponse<Void>> deleteMapping(
            @PathVariable("name") String name,
            @PathVariable("orgId") String orgId,
            @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
            @Header(IDEMPOTENCY_KEY) String idempotencyKey);

    /** GET /v1/orgs/{org_id}/integrations/{name}/credentials: the raw values or the rendered credential headers. */
    @Get(value = "/orgs/{orgId}/integrations/{name}/credentials", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Map<String, Object>>> credentials(
            @PathVariable("orgId") String orgId, @PathVariable("name") String name);

    /** POST /v1/orgs/{org_id}/integrations/{name}/sign: 200 {"Authorization": "OAuth ..."} for an OAuth 1.0a request. */
    @Post(
            value = "/orgs/{orgId}/integrations/{name}/sign",
            produces = MediaType.APPLICATION_JSON,
            consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Map<String, Object>>> sign(
            @PathVariable("orgId") String orgId, @PathVariable("name") String name, @Body SignRequest body);

    /** POST /v1/orgs/{org_id}/integrations/{name}/refresh: 200 {"expires_at", "status"}. */
    @Post(value = "/orgs/{orgId}/integrations/{name}/refresh", consumes = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<RefreshAnswer>> refresh(
            @PathVariable("orgId") String orgId, @PathVariable("name") String name);
}
