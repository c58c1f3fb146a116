package com.integrationshub.query.apidoc;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The request and response bodies of the v1 API as the OpenAPI document shows them (API.md). Documentation only: the
 * controllers read and write JSON trees ({@code JsonBody}, {@code *Json} renderers), which these records describe for
 * micronaut-openapi (property names are snake_case, set by the processor's naming strategy). Nothing is serialized
 * through them.
 */
public final class ApiSchemas {

    private ApiSchemas() {}

    /** The security scheme of every operation (the document's default): a bearer JWT (HS256). */
    public static final String BEARER = "bearer";

    /** The empty security requirement of the open operations ({@code security: [{}]}: no token needed). */
    public static final String OPEN = "";

    /** The problem media type of every error answer (RFC 9457). */
    public static final String PROBLEM_JSON = "application/problem+json";

    /** The problem schema, defined with the shared answers in src/main/openapi/problems.yml. */
    public static final String PROBLEM = "#/components/schemas/Problem";

    // The shared problem answers (application/problem+json), defined once in src/main/openapi/problems.yml.
    public static final String BAD_REQUEST = "#/components/responses/BadRequest";
    public static final String UNAUTHORIZED = "#/components/responses/Unauthorized";
    public static final String FORBIDDEN = "#/components/responses/Forbidden";
    public static final String NOT_FOUND = "#/components/responses/NotFound";
    public static final String CONFLICT = "#/components/responses/Conflict";
    public static final String STALE_VERSION = "#/components/responses/PreconditionFailed";
    public static final String TOO_LARGE = "#/components/responses/ContentTooLarge";
    public static final String INVALID = "#/components/responses/Invalid";
    public static final String UNAVAILABLE = "#/components/responses/Unavailable";

    // The headers of a write, defined in src/main/openapi/problems.yml.
    public static final String IF_MATCH = "#/components/parameters/IfMatch";
    public static final String IDEMPOTENCY_KEY = "#/components/parameters/IdempotencyKey";

    /** API.md's example of a new integration. */
    public static final String NEW_INTEGRATION_EXAMPLE = """
            {"name": "HaloPSA", "description": "HaloPSA ticketing", "auth_scheme": "OAUTH2",
             "entity_id_name": "Tenant ID",
             "config_schema": [{"key": "base_url", "type": "string", "required": true},
                               {"key": "api_key", "type": "secret", "required": false},
                               {"key": "timeout", "type": "int", "required": false}],
             "oauth_connection": "halo-oauth",
             "credential_headers": {"Authorization": "Bearer {api_key}"}}""";

    /** API.md's example of the org's view. */
    public static final String INTEGRATION_DATA_EXAMPLE = """
            {"integration_id": "6f1c2a9e-0d4b-5b7e-9a43-2f1f0c6d8e21", "name": "HaloPSA", "entity_id": "tenant-456",
             "entity_name": "Acme Corp",
             "config": {"base_url": "https://halo.example", "custom_field": "value", "timeout": 30},
             "oauth": {"connection_name": "halo-oauth", "client_id": "client-1", "client_secret": null,
                       "authorization_url": "https://halo.example/auth/authorize",
                       "token_url": "https://halo.example/auth/token", "scopes": ["read"],
                       "access_token": "eyJ0eXAi...", "refresh_token": "def502...",
                       "expires_at": "2026-11-22T14:00:00Z", "status": "active"},
             "version": 7}""";

    /** API.md's example of a mapping. */
    public static final String MAPPING_EXAMPLE = """
            {"entity_id": "tenant-456", "entity_name": "Acme Corp", "config": {"custom_field": "value"},
             "oauth_token_id": null}""";

    /** A static connect. */
    public static final String CONNECT_EXAMPLE = """
            {"auth_scheme": "API_KEY", "data": {"api_key": "sk_live_1"}}""";

    /** A multi-tenant provider's connection. */
    public static final String NEW_CONNECTION_EXAMPLE = """
            {"connection_name": "microsoft", "grant_type": "authorization_code", "client_id": "client-1",
             "client_secret": "s3cret",
             "authorization_url": "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/authorize",
             "token_url": "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token",
             "scopes": ["offline_access"], "extra_authorize_params": {"prompt": "consent"}}""";

    /** One typed key of an integration's config schema. */
    @Schema(name = "ConfigField")
    public record ConfigField(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "base_url")
            String key,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"string", "int", "bool", "json", "secret"},
                    example = "string")
            String type,

            @Schema(description = "Defaults to false.") @Nullable
            Boolean required) {}

    /** POST /v1/integrations. */
    @Schema(name = "NewIntegration")
    public record NewIntegration(
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = NAME, example = "HaloPSA")
            String name,

            @Schema(example = "HaloPSA ticketing") @Nullable String description,

            @Schema(
                    allowableValues = {"OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"},
                    requiredMode = RequiredMode.REQUIRED)
            String authScheme,

            @Schema(example = "Tenant ID") @Nullable String entityIdName,
            @Nullable List<ConfigField> configSchema,

            @Schema(pattern = NAME, example = "halo-oauth", description = "The OAuth connection (OAUTH2).") @Nullable
            String oauthConnection,

            @Schema(
                    description = "Header templates that GET .../credentials renders; {key} names a value.",
                    example = "{\"Authorization\": \"Bearer {api_key}\"}")
            @Nullable
            Map<String, String> credentialHeaders,

            @Schema(
                    pattern = NAME,
                    description = "The config key holding the provider's base URL for the proxy; default base_url.",
                    example = "base_url")
            @Nullable
            String proxyBaseUrlKey) {}

    /** PATCH /v1/integrations/{name}: only the fields present change. */
    @Schema(name = "IntegrationChange")
    public record IntegrationChange(
            @Nullable String description,
            @Nullable String entityIdName,
            @Nullable List<ConfigField> configSchema,
            @Schema(pattern = NAME) @Nullable String oauthConnection,
            @Nullable Map<String, String> credentialHeaders,

            @Schema(
                    pattern = NAME,
                    description = "The config key holding the provider's base URL for the proxy; default base_url.",
                    example = "base_url")
            @Nullable
            String proxyBaseUrlKey) {}

    /** An integration. */
    @Schema(name = "Integration")
    public record Integration(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "HaloPSA")
            String name,

            @Nullable String description,

            @Schema(
                    allowableValues = {"OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"},
                    requiredMode = RequiredMode.REQUIRED)
            String authScheme,

            @Nullable String entityIdName,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<ConfigField> configSchema,
            @Nullable String oauthConnection,
            @Nullable Map<String, String> credentialHeaders,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "base_url")
            String proxyBaseUrlKey,

            @Schema(
                    description = "The platform-wide config values; secrets read \"***\".",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> defaults,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = VERSION, example = "3")
            long version,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED) Instant updatedAt) {}

    /** PUT /v1/integrations/{name}/defaults. */
    @Schema(name = "Defaults")
    public record Defaults(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "Replaces the defaults; each value is checked against the config schema.",
                    example = "{\"base_url\": \"https://halo.example\", \"timeout\": 30}",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            Map<String, Object> config) {}

    /** One event of GET /v1/integrations/{name}/history. */
    @Schema(name = "HistoryEvent")
    public record HistoryEvent(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "MappingUpserted")
            String type,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "4")
            long version,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant at,

            @Schema(description = "The org of a mapping's or an org's event.", example = "org-123") @Nullable
            String orgId,

            @Nullable String eventId,

            @Schema(
                    description = "The event's other fields, secrets masked.",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> data) {}

    /** PUT /v1/integrations/{name}/mappings/{org_id}. */
    @Schema(name = "MappingRequest")
    public record MappingRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "tenant-456")
            String entityId,

            @Schema(example = "Acme Corp") @Nullable String entityName,

            @Schema(
                    description = "The org's overrides, checked against the config schema.",
                    example = "{\"custom_field\": \"value\"}",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> config,

            @Schema(nullable = true) @Nullable String oauthTokenId) {}

    /** An org's mapping to its external tenant. */
    @Schema(name = "IntegrationMappingResponse")
    public record IntegrationMappingResponse(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = RequiredMode.REQUIRED) String integrationId,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "org-123")
            String organizationId,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "tenant-456")
            String entityId,

            @Nullable String entityName,
            @Schema(nullable = true) @Nullable String oauthTokenId,

            @Schema(
                    description = "The org's overrides, secrets masked.",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> config,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = VERSION)
            long version,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED) Instant updatedAt) {}

    /** The `oauth` member of IntegrationData (reveals secrets). */
    @Schema(
            name = "OAuthData",
            description = "Org tokens read client_secret, and the global token's refresh_token, null.")
    public record OAuthData(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "halo-oauth")
            String connectionName,

            @Nullable String clientId,
            @Schema(nullable = true) @Nullable String clientSecret,
            @Nullable String authorizationUrl,
            @Nullable String tokenUrl,
            @Nullable List<String> scopes,
            @Schema(nullable = true) @Nullable String accessToken,
            @Schema(nullable = true) @Nullable String refreshToken,
            @Schema(nullable = true) @Nullable Instant expiresAt,

            @Schema(
                    allowableValues = {"active", "expired", "needs_reauth", "missing"},
                    requiredMode = RequiredMode.REQUIRED)
            String status,

            @Schema(
                    nullable = true,
                    description = "With needs_reauth: why (the provider's error, e.g. invalid_grant, or"
                            + " refresh_outcome_lost); else null.")
            @Nullable
            String reauthReason) {}

    /** An org's merged view of an integration (the hot path). */
    @Schema(name = "IntegrationData", description = "oauth is null when the integration has no OAuth connection.")
    public record IntegrationData(
            @Schema(requiredMode = RequiredMode.REQUIRED) String integrationId,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "HaloPSA")
            String name,

            @Schema(nullable = true, example = "tenant-456") @Nullable
            String entityId,

            @Schema(nullable = true, example = "Acme Corp") @Nullable
            String entityName,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "The defaults overlaid by the org's overrides, key by key; secrets in clear.",
                    example = "{\"base_url\": \"https://halo.example\", \"custom_field\": \"value\"}",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            Map<String, Object> config,

            @Nullable OAuthData oauth,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = VERSION, example = "7")
            long version) {}

    /** POST /v1/orgs/{org_id}/integrations/{name}/connect. */
    @Schema(name = "ConnectRequest")
    public record ConnectRequest(
            @Schema(
                    allowableValues = {"OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"},
                    requiredMode = RequiredMode.REQUIRED)
            String authScheme,

            @Schema(
                    description = "API_KEY {api_key}, BEARER_TOKEN {token}, BASIC {username, password},"
                            + " NO_AUTH and OAUTH2 {}.",
                    example = "{\"api_key\": \"sk_live_1\"}",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> data) {}

    /** The answer of a connect. */
    @Schema(name = "Connected")
    public record Connected(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "halo-oauth/org-123")
            String connectionId,

            @Schema(description = "OAuth: the provider's authorize URL with state and PKCE challenge.") @Nullable
            String redirectUrl,

            @Schema(description = "Client credentials: the expiry of the token fetched at once.") @Nullable
            Instant expiresAt) {}

    /** POST /v1/orgs/{org_id}/connect-sessions. */
    @Schema(name = "NewConnectSession")
    public record NewConnectSession(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "1 to 50 distinct names of existing integrations",
                    example = "[\"HaloPSA\"]")
            List<String> integrations,

            @Schema(
                    description = "Seconds, from 60 to hub.connect.max-expires-in (3600); default"
                            + " hub.connect.default-expires-in (1800)",
                    example = "1800")
            @Nullable
            Integer expiresIn,

            @Schema(
                    description = "Where the page's Done link leads; must fall under hub.connect.return-urls",
                    example = "https://app.example/settings")
            @Nullable
            String returnUrl) {}

    /** The answer of POST /v1/orgs/{org_id}/connect-sessions. */
    @Schema(name = "ConnectSession")
    public record ConnectSession(
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The session; it opens only /connect/{token}")
            String token,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "https://hub.example/connect/eyJ0eXAi...")
            String url,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant expiresAt) {}

    /** GET /connect/{token}/status. */
    @Schema(name = "ConnectPageStatus")
    public record ConnectPageStatus(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "org-123")
            String orgId,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant expiresAt,
            @Schema(nullable = true) @Nullable String returnUrl,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The session's integrations that exist")
            List<ConnectPageIntegration> integrations) {}

    /** One integration of a connect page. */
    @Schema(name = "ConnectPageIntegration")
    public record ConnectPageIntegration(
            @Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @Schema(nullable = true) @Nullable String description,

            @Schema(
                    allowableValues = {"OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"},
                    requiredMode = RequiredMode.REQUIRED)
            String authScheme,

            @Schema(
                    allowableValues = {"active", "expired", "needs_reauth", "missing"},
                    requiredMode = RequiredMode.REQUIRED)
            String status,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The form's fields (static schemes)")
            List<ConnectPageField> fields) {}

    /** A field of a connect page's form. */
    @Schema(name = "ConnectPageField")
    public record ConnectPageField(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "api_key")
            String key,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = "Typed into a password input")
            boolean secret) {}

    /** POST /connect/{token}/integrations/{name}/connect. */
    @Schema(name = "ConnectPageRequest")
    public record ConnectPageRequest(
            @Schema(
                    description = "As for POST .../connect, for the integration's own auth scheme",
                    example = "{\"api_key\": \"sk_live_1\"}",
                    additionalProperties = AdditionalPropertiesValue.TRUE)
            @Nullable
            Map<String, Object> data) {}

    /** POST .../sign: one request to sign with OAuth 1.0a. */
    @Schema(name = "SignRequest")
    public record SignRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "POST")
            String method,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "https://api.x.com/1.1/statuses/update.json?a=b")
            String url,

            @Schema(
                    description = "The application/x-www-form-urlencoded body parameters: a string, or a "
                            + "list of strings for a repeated key",
                    example = "{\"status\": \"hi\", \"tag\": [\"a\", \"b\"]}")
            @Nullable
            Map<String, Object> form) {}

    /**
     * The answer of POST .../sign, in problems.yml: its one member is named "Authorization", which the document's
     * snake_case naming of record components cannot write.
     */
    public static final String SIGNED = "#/components/schemas/Signed";

    /** GET .../credentials: the values to call the API with, or the integration's credential headers rendered. */
    @Schema(
            name = "Credentials",
            description = "{api_key}, {token}, {username, password} or for OAuth {access_token, expires_at}; when the"
                    + " integration has credential_headers, those templates rendered instead (e.g. Authorization).",
            additionalProperties = AdditionalPropertiesValue.TRUE)
    public record Credentials(
            @Nullable String apiKey,
            @Nullable String token,
            @Nullable String username,
            @Nullable String password,
            @Nullable String accessToken,
            @Schema(nullable = true) @Nullable Instant expiresAt) {}

    /** The answer of POST .../refresh. */
    @Schema(name = "Refreshed")
    public record Refreshed(
            @Schema(nullable = true) @Nullable Instant expiresAt,

            @Schema(
                    allowableValues = {"active", "expired", "needs_reauth", "missing"},
                    requiredMode = RequiredMode.REQUIRED)
            String status) {}

    /** POST /v1/oauth/connections. */
    @Schema(name = "NewOAuthConnection")
    public record NewOAuthConnection(
            @Schema(requiredMode = RequiredMode.REQUIRED, pattern = NAME, example = "halo-oauth")
            String connectionName,

            @Schema(
                    allowableValues = {"authorization_code", "client_credentials", "oauth1"},
                    description = "Defaults to authorization_code.")
            @Nullable
            String grantType,

            @Schema(requiredMode = RequiredMode.REQUIRED) String clientId,
            @Nullable String clientSecret,

            @Schema(example = "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/authorize") @Nullable
            String authorizationUrl,

            @Schema(
                    description = "Required for OAuth 2.0 (oauth1 names it access_token_url).",
                    example = "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token")
            @Nullable
            String tokenUrl,

            @Nullable List<String> scopes,
            @Nullable Map<String, String> extraAuthorizeParams,

            @Schema(allowableValues = {"client_secret_basic", "client_secret_post"}) @Nullable
            String clientAuthMethod,

            @Schema(description = "How long before expiry the refresher renews the token.") @Nullable
            Long refreshMarginSeconds,

            @Schema(
                    allowableValues = {"strict", "grace", "none"},
                    description = "How the provider treats a refresh token presented again (default strict).")
            @Nullable
            String refreshTokenRotation,

            @Schema(description = "With grace: seconds the previous refresh token stays usable (default 60).") @Nullable
            Integer refreshTokenGrace,

            @Schema(description = "oauth1: the temporary credentials (request token) endpoint.") @Nullable
            String requestTokenUrl,

            @Schema(description = "oauth1: the token credentials endpoint (OAuth 2.0 names it token_url).") @Nullable
            String accessTokenUrl,

            @Schema(
                    allowableValues = {"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"},
                    description = "oauth1: how requests are signed (default HMAC-SHA1; RSA-SHA1: client_secret is the "
                            + "PEM private key; PLAINTEXT only over https).")
            @Nullable
            String signatureMethod,

            @Schema(description = "A provider of GET /v1/providers: the members the body leaves out come from it.")
            @Nullable
            String provider) {}

    /** PATCH /v1/oauth/connections/{name}: only the fields present change. */
    @Schema(name = "OAuthConnectionChange")
    public record OAuthConnectionChange(
            @Schema(allowableValues = {"authorization_code", "client_credentials", "oauth1"}) @Nullable
            String grantType,

            @Schema(description = "oauth1: the temporary credentials (request token) endpoint.") @Nullable
            String requestTokenUrl,

            @Schema(description = "oauth1: the token credentials endpoint (OAuth 2.0 names it token_url).") @Nullable
            String accessTokenUrl,

            @Schema(
                    allowableValues = {"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"},
                    description = "oauth1: how requests are signed (default HMAC-SHA1; RSA-SHA1: client_secret is the "
                            + "PEM private key; PLAINTEXT only over https).")
            @Nullable
            String signatureMethod,

            @Nullable String clientId,
            @Nullable String clientSecret,
            @Nullable String authorizationUrl,
            @Nullable String tokenUrl,
            @Nullable List<String> scopes,
            @Nullable Map<String, String> extraAuthorizeParams,

            @Schema(allowableValues = {"client_secret_basic", "client_secret_post"}) @Nullable
            String clientAuthMethod,

            @Nullable Long refreshMarginSeconds,

            @Schema(
                    allowableValues = {"strict", "grace", "none"},
                    description = "How the provider treats a refresh token presented again (default strict).")
            @Nullable
            String refreshTokenRotation,

            @Schema(description = "With grace: seconds the previous refresh token stays usable (default 60).") @Nullable
            Integer refreshTokenGrace) {}

    /** The health of an OAuth connection's tokens: counts by status and every token, soonest expiry first. */
    @Schema(name = "TokenHealth")
    public record TokenHealth(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "halo-oauth")
            String connectionName,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "Tokens by status: active, expired, needs_reauth (each key always present).")
            Map<String, Integer> counts,

            @Schema(requiredMode = RequiredMode.REQUIRED) List<TokenHealthEntry> tokens) {}

    /** One token of a connection, without any secret. */
    @Schema(name = "TokenHealthEntry")
    public record TokenHealthEntry(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "halo-oauth/org-123")
            String tokenId,

            @Schema(nullable = true, description = "null for the connection's global token.") @Nullable
            String orgId,

            @Nullable String integrationName,

            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    allowableValues = {"active", "expired", "needs_reauth"})
            String status,

            @Schema(nullable = true, description = "null: the token does not expire.") @Nullable
            String expiresAt,

            @Nullable String refreshedAt,

            @Schema(nullable = true, description = "Why the provider refused it, when needs_reauth.") @Nullable
            String reauthReason,

            @Schema(requiredMode = RequiredMode.REQUIRED) long version) {}

    /** An OAuth connection (its client secret masked). */
    @Schema(name = "OAuthConnection")
    public record OAuthConnection(
            @Schema(requiredMode = RequiredMode.REQUIRED) String id,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "halo-oauth")
            String connectionName,

            @Schema(
                    allowableValues = {"authorization_code", "client_credentials", "oauth1"},
                    requiredMode = RequiredMode.REQUIRED)
            String grantType,

            @Schema(requiredMode = RequiredMode.REQUIRED) String clientId,

            @Schema(nullable = true, description = "\"***\" when set.") @Nullable
            String clientSecret,

            @Nullable String authorizationUrl,

            @Schema(description = "OAuth 2.0 (oauth1: access_token_url).") @Nullable
            String tokenUrl,

            @Nullable List<String> scopes,
            @Nullable Map<String, String> extraAuthorizeParams,

            @Schema(allowableValues = {"client_secret_basic", "client_secret_post"}) @Nullable
            String clientAuthMethod,

            @Nullable Long refreshMarginSeconds,

            @Schema(
                    allowableValues = {"strict", "grace", "none"},
                    description = "How the provider treats a refresh token presented again (default strict).")
            @Nullable
            String refreshTokenRotation,

            @Schema(description = "With grace: seconds the previous refresh token stays usable (default 60).") @Nullable
            Integer refreshTokenGrace,

            @Schema(description = "oauth1: the temporary credentials (request token) endpoint.") @Nullable
            String requestTokenUrl,

            @Schema(description = "oauth1: the token credentials endpoint (OAuth 2.0 names it token_url).") @Nullable
            String accessTokenUrl,

            @Schema(
                    allowableValues = {"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"},
                    description = "oauth1: how requests are signed (default HMAC-SHA1; RSA-SHA1: client_secret is the "
                            + "PEM private key; PLAINTEXT only over https).")
            @Nullable
            String signatureMethod,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = VERSION)
            long version,

            @Schema(requiredMode = RequiredMode.REQUIRED) Instant createdAt,
            @Schema(requiredMode = RequiredMode.REQUIRED) Instant updatedAt) {}

    /** An entry of the provider catalogue: a template of an OAuth connection. */
    @Schema(name = "Provider")
    public record Provider(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "microsoft")
            String provider,

            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Microsoft identity platform")
            String displayName,

            @Schema(requiredMode = RequiredMode.REQUIRED) List<String> grantTypes,
            @Schema(nullable = true) @Nullable String authorizationUrl,
            @Schema(requiredMode = RequiredMode.REQUIRED) String tokenUrl,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<String> scopes,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean pkce,

            @Schema(
                    allowableValues = {"client_secret_basic", "client_secret_post"},
                    requiredMode = RequiredMode.REQUIRED)
            String tokenAuthMethod,

            @Schema(requiredMode = RequiredMode.REQUIRED) String docsUrl,

            @Schema(nullable = true, description = "What {entity_id} in the URLs stands for (tenant, domain...).")
            @Nullable
            String entityIdName,

            @Nullable String scopeSeparator,

            @Schema(allowableValues = {"strict", "grace", "none"})
            String refreshTokenRotation,

            boolean expiresInOmitted,
            Map<String, String> extraAuthorizeParams,
            @Schema(nullable = true) @Nullable String notes) {}

    /** GET /v1/export, the body of POST /v1/import: the hub's configuration without any secret. */
    @Schema(name = "Bundle")
    public record Bundle(
            @Schema(requiredMode = RequiredMode.REQUIRED) List<Integration> integrations,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<OAuthConnection> oauthConnections,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<IntegrationMappingResponse> mappings) {}

    /** One item of an import's plan. */
    @Schema(name = "PlanEntry")
    public record PlanEntry(
            @Schema(
                    allowableValues = {"create", "update", "unchanged"},
                    requiredMode = RequiredMode.REQUIRED)
            String op,

            @Schema(
                    allowableValues = {"integration", "oauth_connection", "mapping"},
                    requiredMode = RequiredMode.REQUIRED)
            String kind,

            @Schema(requiredMode = RequiredMode.REQUIRED) String name,

            @Schema(description = "Secrets a new item was created without (set them with PATCH).") @Nullable
            List<String> secretsToSet) {}

    /** The answer of POST /v1/import. */
    @Schema(name = "ImportResult")
    public record ImportResult(
            @Schema(requiredMode = RequiredMode.REQUIRED) List<PlanEntry> plan,
            @Schema(requiredMode = RequiredMode.REQUIRED) boolean applied) {}

    /** PUT /v1/integrations/{name}/openapi: what was stored. */
    @Schema(name = "SpecSummary")
    public record SpecSummary(
            @Schema(
                    requiredMode = RequiredMode.REQUIRED,
                    description = "The spec's version: 1 for the first document, +1 for each one after")
            long version,

            @Nullable String title,

            @Schema(requiredMode = RequiredMode.REQUIRED, description = "The number of path + method pairs")
            int operations) {}

    private static final String NAME = "^[A-Za-z0-9_.-]{1,128}$";
    private static final String VERSION = "Grows with each change; the ETag header is \"<version>\".";
}
