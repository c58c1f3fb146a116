package com.integrationshub.query.provider;

import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.write.WriteRequests;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

/** The provider catalogue (admin): templates of OAuth connections for well-known providers. */
@Controller("/v1/providers")
public class ProviderController {

    private final ProviderCatalogue catalogue;

    public ProviderController(ProviderCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** GET /v1/providers → every entry, in the catalogue's order. */
    @Get
    public MutableHttpResponse<?> list() {
        var out = JsonBody.mapper().createArrayNode();
        catalogue.all().forEach(p -> out.add(ProviderJson.render(p)));
        return Responses.ok(out);
    }

    /** GET /v1/providers/{provider} → the entry, or 404. */
    @Get("/{provider}")
    public MutableHttpResponse<?> get(@PathVariable String provider) {
        WriteRequests.name("provider", provider);
        return catalogue
                .find(provider)
                .map(p -> Responses.ok(ProviderJson.render(p)))
                .orElseThrow(() -> ProblemException.notFound("provider '" + provider + "' is not in the catalogue"));
    }
}
