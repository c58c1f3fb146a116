package com.integrationshub.query.apidoc;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's OpenAPI document, generated at build time by micronaut-openapi, at /openapi.yml, and Swagger UI reading it
 * at /docs (its assets come from the swagger-ui webjar, mapped to /docs/** in application.yml). Both are open: they
 * describe the API and hold no secrets (AccessFilter).
 */
@Controller
@Tag(name = "Operating", description = "The API's own description")
public class ApiDocsController {

    /** Where micronaut-openapi writes the document (-Amicronaut.openapi.filename=openapi, see the pom). */
    static final String DOCUMENT = "META-INF/swagger/openapi.yml";

    private static final MediaType YAML = MediaType.of("application/yaml");

    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
              <head>
                <meta charset="UTF-8">
                <title>Integrations Hub API</title>
                <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css" />
                <link rel="stylesheet" type="text/css" href="/docs/index.css" />
                <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32" />
              </head>
              <body>
                <div id="swagger-ui"></div>
                <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
                <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
                <script src="/docs/swagger-initializer.js" charset="UTF-8"></script>
              </body>
            </html>
            """;

    // Replaces the webjar's initializer (which points at a remote example) so /docs and /docs/index.html read ours.
    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "/openapi.yml",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout"
              });
            };
            """;

    private final String document;

    public ApiDocsController() {
        this.document = read(DOCUMENT);
    }

    /** GET /openapi.yml → the OpenAPI 3 document of the v1 API. */
    @Get("/openapi.yml")
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "getOpenApiDocument", summary = "This document (open)")
    @ApiResponse(
            responseCode = "200",
            description = "The OpenAPI document",
            content = @Content(mediaType = "application/yaml", schema = @Schema(type = "string")))
    public HttpResponse<String> openApi() {
        return HttpResponse.ok(document).contentType(YAML);
    }

    /** GET /docs → Swagger UI on /openapi.yml. */
    @Get("/docs")
    @SecurityRequirement(name = ApiSchemas.OPEN)
    @Operation(operationId = "getApiDocs", summary = "A page to read and try the API (Swagger UI, open)")
    @ApiResponse(
            responseCode = "200",
            description = "Swagger UI",
            content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
    public HttpResponse<String> docs() {
        return HttpResponse.ok(PAGE).contentType(MediaType.TEXT_HTML_TYPE);
    }

    /** GET /docs/swagger-initializer.js → Swagger UI's start-up script, pointed at /openapi.yml. */
    @Get("/docs/swagger-initializer.js")
    @Operation(hidden = true)
    public HttpResponse<String> initializer() {
        return HttpResponse.ok(INITIALIZER).contentType(MediaType.of("text/javascript"));
    }

    private static String read(String resource) {
        try (InputStream in = ApiDocsController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing: micronaut-openapi writes it");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
