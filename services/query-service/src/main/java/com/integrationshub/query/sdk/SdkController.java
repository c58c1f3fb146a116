package com.integrationshub.query.sdk;

import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.spec.OrgSpecs;
import com.integrationshub.query.write.WriteRequests;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletionException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * GET /v1/orgs/{org_id}/integrations/{name}/sdk/{language}: a client of the provider's API made from the org's view
 * of its document (base URL = the org's proxy, the hub token its only credential), answered by the instance that
 * holds the integration, as the view itself is.
 */
@Tag(name = "Provider specs", description = "Providers' OpenAPI documents")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller
public class SdkController {

    private static final String ZIP = "application/zip";

    private final OrgSpecs specs;
    private final SdkBuilds builds;

    public SdkController(OrgSpecs specs, SdkBuilds builds) {
        this.specs = specs;
        this.builds = builds;
    }

    @Get(value = "/v1/orgs/{org_id}/integrations/{name}/sdk/{language}", produces = ZIP)
    @Operation(
            operationId = "getOrgIntegrationSdk",
            summary = "A client of the provider's API (java, typescript, python) that calls it through the proxy with"
                    + " a hub token")
    @ApiResponse(
            responseCode = "200",
            description = "A zip: for java a Maven project (pom.xml at the root), for typescript a typescript-fetch"
                    + " package, for python a package of the python generator",
            content = @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> sdk(
            HttpRequest<?> request,
            @PathVariable("org_id") String orgId,
            @PathVariable String name,
            @PathVariable String language) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        SdkLanguage lang = SdkLanguage.of(language)
                .orElseThrow(() -> ProblemException.notFound(
                        "the hub generates no SDK for this language; it generates " + SdkLanguage.names()));
        return specs.answer(request, orgId, name, doc -> {
            SdkBuilds.Key key = new SdkBuilds.Key(doc.digest(), lang, doc.proxyUrl(), name);
            return Mono.fromFuture(() -> builds.zip(key, doc.view()))
                    .onErrorMap(SdkController::problem)
                    .map(zip -> doc.headers(HttpResponse.ok(zip)
                            .contentType(ZIP)
                            .header(
                                    HttpHeaders.CONTENT_DISPOSITION,
                                    "attachment; filename=\"" + name + "-" + lang.path() + ".zip\"")));
        });
    }

    private static Throwable problem(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof UnusableSpecException u) return ProblemException.invalid("openapi", u.getMessage());
        if (cause instanceof SdkBuilds.BusyException b) return ProblemException.unavailable(b.getMessage());
        return cause;
    }
}
