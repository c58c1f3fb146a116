package com.integrationshub.query.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * GET /openapi.yml describes what the service answers: every route of Micronaut's router (but the management endpoints
 * listed here) is in it, and API.md's paths, fields and status codes are there as written (API.md is not in the
 * repository, so its facts are data below). GET /docs serves Swagger UI from the service itself. Both are open, and
 * the access filter agrees with the document about which operations need the bearer token.
 */
class OpenApiDocumentTest {

    /**
     * Routes of the router that are not the v1 API, exactly: the management endpoints (admin only; a new one, e.g.
     * /prometheus if it is a management endpoint, goes here), instance-to-instance reads, Swagger UI's start-up script.
     */
    static final Set<String> NOT_IN_DOCUMENT = Set.of(
            "/health",
            "/health/{selector}",
            "/beans",
            "/info",
            "/refresh",
            "/routes",
            "/threaddump",
            "/internal/views/{kind}",
            // Swagger UI's start-up script (part of /docs).
            "/docs/swagger-initializer.js",
            // The proxy: its answers are the provider's, described by the provider's own spec (API.md, proxy).
            "/v1/orgs/{org_id}/integrations/{name}/proxy",
            "/v1/orgs/{org_id}/integrations/{name}/proxy/{+path}",
            // The console's sign-in: a browser's pages and cookie, not the v1 API.
            "/console",
            "/console/login",
            "/console/session",
            "/console/logout",
            // Metrics (issue 10, being added now), if they come as management endpoints.
            "/prometheus",
            "/metrics",
            "/metrics/{name}");

    /** Entries of {@link #NOT_IN_DOCUMENT} that may not be routes yet (move them up into the exact list when they are). */
    static final Set<String> NOT_IN_DOCUMENT_MAYBE_ABSENT = Set.of("/prometheus", "/metrics", "/metrics/{name}");

    /**
     * API.md paths not implemented yet: skipped here. When one lands, move it into {@link #API_MD} with its statuses and
     * fields (the route test then requires it in the document anyway).
     */
    static final Set<String> NOT_YET_IMPLEMENTED = Set.of(
            // served as a management endpoint in Prometheus' text format, outside the v1 document (NOT_IN_DOCUMENT)
            "GET /prometheus",
            // the proxy
            "ANY /v1/orgs/{org_id}/integrations/{name}/proxy/{path}");

    /** API.md fields not implemented yet (schema.field), skipped like the paths above. */
    static final Set<String> FIELDS_NOT_YET_IMPLEMENTED = Set.of();

    /** Operations anyone may call without a token (API.md, Conventions). */
    static final Set<String> OPEN = Set.of(
            "GET /v1/oauth/callback",
            "GET /openapi.yml",
            "GET /docs",
            // The hosted connect page: its session token authorizes it.
            "GET /connect/{token}",
            "GET /connect/{token}/status",
            "POST /connect/{token}/integrations/{name}/connect");

    /** Pages whose errors are pages too (API.md: an expired or unknown session gets an error page, nothing else). */
    static final Set<String> HTML_ERRORS = Set.of("GET /connect/{token}");

    private static final List<String> INTEGRATION = List.of(
            "id",
            "name",
            "description",
            "auth_scheme",
            "entity_id_name",
            "config_schema",
            "oauth_connection",
            "credential_headers",
            "proxy_base_url_key",
            "defaults",
            "version",
            "created_at",
            "updated_at");
    private static final List<String> MAPPING = List.of(
            "id",
            "integration_id",
            "organization_id",
            "entity_id",
            "entity_name",
            "oauth_token_id",
            "config",
            "version",
            "created_at",
            "updated_at");
    private static final List<String> INTEGRATION_DATA = List.of(
            "integration_id",
            "name",
            "entity_id",
            "entity_name",
            "config",
            "oauth",
            "version",
            "oauth.connection_name",
            "oauth.client_id",
            "oauth.client_secret",
            "oauth.authorization_url",
            "oauth.token_url",
            "oauth.scopes",
            "oauth.access_token",
            "oauth.refresh_token",
            "oauth.expires_at",
            "oauth.status");
    private static final List<String> CONNECTION = List.of(
            "connection_name",
            "grant_type",
            "client_id",
            "client_secret",
            "authorization_url",
            "token_url",
            "scopes",
            "extra_authorize_params");
    private static final List<String> PROVIDER = List.of(
            "provider",
            "display_name",
            "grant_types",
            "authorization_url",
            "token_url",
            "scopes",
            "pkce",
            "token_auth_method",
            "docs_url");
    private static final List<String> BUNDLE = List.of("integrations", "oauth_connections", "mappings");
    private static final List<String> CREATE_CONNECTION =
            concat(CONNECTION, List.of("provider", "request_token_url", "access_token_url", "signature_method"));

    /** API.md as data: each operation, the statuses it names, its request fields and its (2xx) response fields. */
    static final List<Fact> API_MD = List.of(
            new Fact(
                    "POST /v1/integrations",
                    List.of(201, 409, 401, 403, 413, 422),
                    List.of(
                            "name",
                            "description",
                            "auth_scheme",
                            "entity_id_name",
                            "config_schema",
                            "oauth_connection",
                            "credential_headers",
                            "proxy_base_url_key"),
                    INTEGRATION),
            new Fact("GET /v1/integrations", List.of(200, 401, 403), List.of(), INTEGRATION),
            new Fact("GET /v1/integrations/{name}", List.of(200, 404), List.of(), INTEGRATION),
            new Fact(
                    "PATCH /v1/integrations/{name}",
                    List.of(200, 404, 412, 413, 422),
                    List.of(
                            "description",
                            "config_schema",
                            "oauth_connection",
                            "entity_id_name",
                            "credential_headers",
                            "proxy_base_url_key"),
                    INTEGRATION),
            new Fact(
                    "PUT /v1/integrations/{name}/defaults",
                    List.of(200, 404, 412, 413, 422),
                    List.of("config"),
                    INTEGRATION),
            new Fact("DELETE /v1/integrations/{name}", List.of(204, 404, 412), List.of(), List.of()),
            new Fact(
                    "GET /v1/integrations/{name}/history",
                    List.of(200, 404),
                    List.of(),
                    List.of("type", "version", "at", "org_id", "data")),
            new Fact(
                    "PUT /v1/integrations/{name}/mappings/{org_id}",
                    List.of(201, 200, 404, 412, 413, 422),
                    List.of("entity_id", "entity_name", "config", "oauth_token_id"),
                    MAPPING),
            new Fact("GET /v1/integrations/{name}/mappings", List.of(200, 404), List.of(), MAPPING),
            new Fact("GET /v1/integrations/{name}/mappings/{org_id}", List.of(200, 404), List.of(), MAPPING),
            new Fact("DELETE /v1/integrations/{name}/mappings/{org_id}", List.of(204, 404, 412), List.of(), List.of()),
            new Fact("GET /v1/orgs/{org_id}/integrations/{name}", List.of(200, 404), List.of(), INTEGRATION_DATA),
            new Fact("GET /v1/integrations/{name}/global", List.of(200, 404), List.of(), INTEGRATION_DATA),
            new Fact("GET /v1/orgs/{org_id}/integrations", List.of(200), List.of(), INTEGRATION_DATA),
            new Fact(
                    "PUT /v1/integrations/{name}/openapi",
                    List.of(200, 422),
                    List.of(),
                    List.of("version", "title", "operations")),
            new Fact("GET /v1/integrations/{name}/openapi", List.of(200), List.of(), List.of()),
            new Fact("DELETE /v1/integrations/{name}/openapi", List.of(204), List.of(), List.of()),
            new Fact("GET /v1/orgs/{org_id}/integrations/{name}/openapi", List.of(200), List.of(), List.of()),
            new Fact("GET /v1/orgs/{org_id}/integrations/{name}/sdk/{language}", List.of(200), List.of(), List.of()),
            new Fact(
                    "POST /v1/orgs/{org_id}/integrations/{name}/connect",
                    List.of(201, 422),
                    List.of("auth_scheme", "data"),
                    List.of("connection_id", "redirect_url")),
            new Fact(
                    "GET /v1/orgs/{org_id}/integrations/{name}/credentials",
                    List.of(200, 409),
                    List.of(),
                    List.of("api_key", "token", "username", "password", "access_token", "expires_at")),
            new Fact(
                    "POST /v1/orgs/{org_id}/integrations/{name}/refresh",
                    List.of(200, 409),
                    List.of(),
                    List.of("expires_at")),
            new Fact("POST /v1/oauth/connections", List.of(201, 409, 422), CREATE_CONNECTION, CONNECTION),
            new Fact("GET /v1/oauth/connections", List.of(200), List.of(), CONNECTION),
            new Fact("GET /v1/oauth/connections/{name}", List.of(200, 404), List.of(), CONNECTION),
            new Fact("PATCH /v1/oauth/connections/{name}", List.of(200, 404, 412, 422), List.of(), CONNECTION),
            new Fact("DELETE /v1/oauth/connections/{name}", List.of(204, 404), List.of(), List.of()),
            new Fact("POST /v1/oauth/connections/{name}/connect", List.of(201), List.of(), List.of("redirect_url")),
            new Fact(
                    "POST /v1/orgs/{org_id}/integrations/{name}/sign",
                    List.of(200, 409, 422),
                    List.of("method", "url", "form"),
                    List.of("Authorization")),
            new Fact("GET /v1/providers", List.of(200), List.of(), PROVIDER),
            new Fact("GET /v1/providers/{provider}", List.of(200, 404), List.of(), PROVIDER),
            new Fact("GET /v1/events/stream", List.of(200, 422, 503), List.of(), List.of()),
            new Fact("GET /v1/export", List.of(200), List.of(), BUNDLE),
            new Fact("POST /v1/import", List.of(200, 422), BUNDLE, List.of("plan", "applied")),
            new Fact("GET /v1/oauth/callback", List.of(200, 400), List.of(), List.of()),
            new Fact(
                    "POST /v1/orgs/{org_id}/connect-sessions",
                    List.of(201, 401, 403, 422),
                    List.of("integrations", "expires_in", "return_url"),
                    List.of("token", "url", "expires_at")),
            new Fact("GET /connect/{token}", List.of(200, 404, 410), List.of(), List.of()),
            new Fact("GET /openapi.yml", List.of(200), List.of(), List.of()),
            new Fact("GET /docs", List.of(200), List.of(), List.of()));

    /** API.md's enumerations: schema.field → its values. */
    static final Map<String, List<String>> ENUMS = Map.of(
            "NewIntegration.auth_scheme", List.of("OAUTH2", "OAUTH1", "API_KEY", "BEARER_TOKEN", "BASIC", "NO_AUTH"),
            "ConfigField.type", List.of("string", "int", "bool", "json", "secret"),
            "OAuthData.status", List.of("active", "expired", "needs_reauth", "missing"),
            "NewOAuthConnection.grant_type", List.of("authorization_code", "client_credentials", "oauth1"),
            "NewOAuthConnection.signature_method", List.of("HMAC-SHA1", "HMAC-SHA256", "RSA-SHA1", "PLAINTEXT"));

    private static HubInstance hub;
    private static Http anonymous;
    private static Map<String, Object> document;

    @BeforeAll
    static void start() {
        hub = HubInstance.start(HubInstance.Deployment.fresh());
        Http admin = new Http(hub.url(), TestTokens.admin());
        Await.ready(admin);
        anonymous = admin.as(null);
        var reply = anonymous.get("/openapi.yml");
        assertEquals(200, reply.status(), () -> "GET /openapi.yml without a token: " + reply);
        document = new Yaml().load(reply.body());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void shouldServeAnOpenApi3DocumentWithTheBearerSchemeWithoutAToken() {
        var reply = anonymous.get("/openapi.yml");
        assertTrue(reply.contentType().startsWith("application/yaml"), "content type, got " + reply.contentType());
        assertTrue(String.valueOf(document.get("openapi")).startsWith("3."), "an OpenAPI 3 document");
        Map<String, Object> bearer = map(map(map(document, "components"), "securitySchemes"), "bearer");
        assertEquals("http", bearer.get("type"), "the bearer scheme: " + bearer);
        assertEquals("bearer", bearer.get("scheme"), "the bearer scheme: " + bearer);
        assertEquals("JWT", bearer.get("bearerFormat"), "the bearer scheme: " + bearer);
    }

    @Test
    void shouldServeSwaggerUiFromTheServiceItselfWithoutAToken() {
        var page = anonymous.get("/docs");
        assertEquals(200, page.status(), () -> "GET /docs: " + page);
        assertTrue(page.contentType().startsWith("text/html"), "GET /docs is a page, got " + page.contentType());
        assertFalse(page.body().contains("//"), "the page loads nothing from another host: " + page.body());
        for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css")) {
            assertTrue(page.body().contains("/docs/" + asset), "the page loads " + asset);
            var served = anonymous.get("/docs/" + asset);
            assertEquals(
                    200, served.status(), () -> "GET /docs/" + asset + " (the webjar's asset): " + served.status());
            assertTrue(served.body().length() > 10_000, "the asset has its content: " + asset);
        }
        var init = anonymous.get("/docs/swagger-initializer.js");
        assertEquals(200, init.status(), "the initializer");
        assertTrue(init.body().contains("url: \"/openapi.yml\""), "Swagger UI reads /openapi.yml: " + init.body());
        assertFalse(init.body().contains("petstore"), "not the webjar's example initializer");
    }

    @Test
    void shouldDescribeEveryRouteTheServiceAnswers() {
        Set<String> routes = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        Set<String> excluded = new TreeSet<>();
        hub.context().getBean(Router.class).uriRoutes().forEach(route -> {
            String template = route.getUriMatchTemplate().toPathString();
            // Micronaut answers HEAD wherever it answers GET: the GET operation describes both.
            if (route.getHttpMethod() == HttpMethod.HEAD) return;
            all.add(route.getHttpMethod().name() + " " + template);
            if (NOT_IN_DOCUMENT.contains(template)) excluded.add(template);
            else routes.add(route.getHttpMethod().name() + " " + template);
        });
        Set<String> expected = new TreeSet<>(NOT_IN_DOCUMENT);
        expected.removeIf(t -> NOT_IN_DOCUMENT_MAYBE_ABSENT.contains(t) && !excluded.contains(t));
        assertEquals(expected, excluded, "the routes left out of the document are routes the service has");
        Set<String> documented = operations();
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "routes the document lacks: " + missing + " (document: " + documented + ")");
        Set<String> phantom = new TreeSet<>(documented);
        phantom.removeAll(all);
        assertTrue(phantom.isEmpty(), "operations no route answers: " + phantom);
    }

    @Test
    void shouldHoldApiMdPathsStatusesAndFieldsAsWritten() {
        List<String> wrong = new ArrayList<>();
        for (Fact fact : API_MD) {
            assertFalse(NOT_YET_IMPLEMENTED.contains(fact.operation()), fact.operation() + " is in both lists");
            Map<String, Object> op = operation(fact.operation());
            if (op == null) {
                wrong.add(fact.operation() + ": not in the document");
                continue;
            }
            Map<String, Object> responses = map(op, "responses");
            for (int status : fact.statuses())
                if (!responses.containsKey(String.valueOf(status))) wrong.add(fact.operation() + ": no " + status);
            if (!fact.requestFields().isEmpty()) {
                String schema = schemaName(map(map(map(op, "requestBody"), "content"), "application/json"));
                for (String field : fact.requestFields())
                    if (!FIELDS_NOT_YET_IMPLEMENTED.contains(schema + "." + field) && !hasField(schema, field))
                        wrong.add(fact.operation() + ": request field " + field + " not in " + schema);
            }
            if (!fact.responseFields().isEmpty()) {
                Map<String, Object> ok = responses.keySet().stream()
                        .filter(s -> s.startsWith("2"))
                        .sorted()
                        .map(s -> map(responses, s))
                        .findFirst()
                        .orElseThrow();
                String schema = schemaName(map(map(ok, "content"), "application/json"));
                for (String field : fact.responseFields())
                    if (!FIELDS_NOT_YET_IMPLEMENTED.contains(schema + "." + field) && !hasField(schema, field))
                        wrong.add(fact.operation() + ": response field " + field + " not in " + schema);
            }
        }
        ENUMS.forEach((field, values) -> {
            String[] parts = field.split("\\.");
            Object actual = map(schemaProperties(parts[0]), parts[1]).get("enum");
            if (!(actual instanceof List<?> list) || !list.containsAll(values))
                wrong.add(field + ": enum " + actual + ", expected at least " + values);
        });
        List<String> problemFields = List.of("type", "title", "status", "detail", "errors", "authorize_url", "key");
        for (String field : problemFields) if (!hasField("Problem", field)) wrong.add("Problem: no field " + field);
        for (String field : List.of("field", "message"))
            if (!hasField("FieldError", field)) wrong.add("FieldError: no field " + field);
        assertTrue(wrong.isEmpty(), "the document differs from API.md: " + String.join("\n", wrong));
    }

    @Test
    void shouldAnswerEveryErrorAsAProblemAndEverySuccessWithASchema() {
        List<String> wrong = new ArrayList<>();
        operations().forEach(operation -> {
            Map<String, Object> responses = map(operation(operation), "responses");
            responses.forEach((status, value) -> {
                Map<String, Object> response = resolve(cast(value), "responses");
                Map<String, Object> content = cast(response.get("content"));
                if (status.startsWith("4") && HTML_ERRORS.contains(operation)) {
                    if (content == null || !content.containsKey("text/html"))
                        wrong.add(operation + " " + status + ": not an HTML page");
                } else if (status.startsWith("4") || status.startsWith("5")) {
                    if (content == null || !content.containsKey("application/problem+json"))
                        wrong.add(operation + " " + status + ": not application/problem+json");
                } else if (status.startsWith("2") && !status.equals("204")) {
                    if (content == null || content.isEmpty()) wrong.add(operation + " " + status + ": no content");
                } else if (!status.equals("204")) {
                    wrong.add(operation + " " + status + ": not a documented status");
                }
            });
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void shouldRequireTheBearerTokenExactlyWhereTheAccessFilterDoes() {
        List<String> wrong = new ArrayList<>();
        for (String operation : operations()) {
            // An operation without its own security has the document's; the open ones say [{}] (no token).
            Object security = operation(operation).getOrDefault("security", document.get("security"));
            boolean secured = security instanceof List<?> list
                    && list.contains(Map.of("bearer", List.of()))
                    && !list.contains(Map.of());
            if (secured == OPEN.contains(operation))
                wrong.add(
                        operation + (secured ? ": open, but the document asks for" : ": needs") + " the bearer token");
            String[] parts = operation.split(" ", 2);
            var reply = anonymous.send(
                    parts[0],
                    parts[1].replaceAll("\\{[^}]+}", "x"),
                    parts[0].equals("GET") || parts[0].equals("DELETE") ? null : "{}",
                    Map.of());
            if (OPEN.contains(operation)) assertNotEquals(401, reply.status(), operation + " is open");
            else assertEquals(401, reply.status(), operation + " without a token");
            if (!OPEN.contains(operation)
                    && !map(operation(operation), "responses").containsKey("401"))
                wrong.add(operation + ": no 401 documented");
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** One API.md operation ("METHOD /path") with the statuses, request fields and response fields it names. */
    record Fact(String operation, List<Integer> statuses, List<String> requestFields, List<String> responseFields) {}

    /** Every operation of the document, as "METHOD /path". */
    static Set<String> operations() {
        Set<String> all = new TreeSet<>();
        map(document, "paths")
                .forEach((path, item) -> cast(item).keySet().stream()
                        .filter(k -> Set.of("get", "put", "post", "delete", "patch", "head", "options")
                                .contains(k))
                        .forEach(method -> all.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return all;
    }

    private static Map<String, Object> operation(String operation) {
        String[] parts = operation.split(" ", 2);
        Map<String, Object> item = cast(map(document, "paths").get(parts[1]));
        return item == null ? null : cast(item.get(parts[0].toLowerCase(Locale.ROOT)));
    }

    /** The component name of a media type's schema (an array's items too). */
    private static String schemaName(Map<String, Object> media) {
        Map<String, Object> schema = map(media, "schema");
        if (schema.containsKey("items")) schema = map(schema, "items");
        return refName(schema);
    }

    private static String refName(Map<String, Object> schema) {
        if (schema.containsKey("allOf")) schema = cast(((List<?>) schema.get("allOf")).get(0));
        String ref = String.valueOf(schema.get("$ref"));
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** A field of a component schema; "a.b" is field b of field a's schema. */
    private static boolean hasField(String schema, String field) {
        Map<String, Object> properties = schemaProperties(schema);
        int dot = field.indexOf('.');
        if (dot < 0) return properties.containsKey(field);
        Map<String, Object> parent = cast(properties.get(field.substring(0, dot)));
        return parent != null && hasField(refName(parent), field.substring(dot + 1));
    }

    private static Map<String, Object> schemaProperties(String schema) {
        return map(map(map(map(document, "components"), "schemas"), schema), "properties");
    }

    private static Map<String, Object> resolve(Map<String, Object> node, String kind) {
        Object ref = node.get("$ref");
        if (ref == null) return node;
        String name = String.valueOf(ref).substring(("#/components/" + kind + "/").length());
        return map(map(map(document, "components"), kind), name);
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) throw new AssertionError("no object '" + key + "' in " + parent.keySet());
        return cast(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
