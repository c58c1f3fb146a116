package com.integrationshub.query.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.oauth1.OAuth1Client;
import com.integrationshub.domain.oauth1.Parameter;
import com.integrationshub.domain.oauth1.RequestToSign;
import com.integrationshub.domain.oauth1.SignatureMethod;
import com.integrationshub.domain.oauth1.SignedRequest;
import com.integrationshub.domain.oauth1.SigningRefused;
import com.integrationshub.query.apidoc.ApiSchemas;
import com.integrationshub.query.http.Responses;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.oauth.OAuth1Flows;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.security.Caller;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * POST /v1/orgs/{org_id}/integrations/{name}/sign: the OAuth 1.0a {@code Authorization} header for one request of the
 * org's (RFC 5849 §3), signed with the consumer's and the org's token credentials. HTTP only: the signing is the
 * domain's {@code OAuth1Signer}.
 */
@Tag(name = "Credentials")
@ApiResponse(responseCode = "401", ref = ApiSchemas.UNAUTHORIZED)
@ApiResponse(responseCode = "403", ref = ApiSchemas.FORBIDDEN)
@Controller("/v1/orgs/{org_id}/integrations/{name}/sign")
@Consumes(MediaType.ALL)
public class SignController {

    /** An HTTP method token (RFC 9110 §9.1), short. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");

    private final StateReader state;
    private final CredentialValues values;
    private final OAuth1Flows oauth1;

    public SignController(StateReader state, CredentialValues values, OAuth1Flows oauth1) {
        this.state = state;
        this.values = values;
        this.oauth1 = oauth1;
    }

    @Post
    @Operation(operationId = "signRequest", summary = "The OAuth 1.0a Authorization header for a request (reveals it)")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = ApiSchemas.SignRequest.class)))
    @ApiResponse(
            responseCode = "200",
            description = "The Authorization header",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = ApiSchemas.SIGNED)))
    @ApiResponse(responseCode = "400", ref = ApiSchemas.BAD_REQUEST)
    @ApiResponse(responseCode = "404", ref = ApiSchemas.NOT_FOUND)
    @ApiResponse(responseCode = "409", ref = ApiSchemas.CONFLICT)
    @ApiResponse(responseCode = "413", ref = ApiSchemas.TOO_LARGE)
    @ApiResponse(responseCode = "422", ref = ApiSchemas.INVALID)
    @ApiResponse(responseCode = "503", ref = ApiSchemas.UNAVAILABLE)
    public Publisher<MutableHttpResponse<?>> sign(
            HttpRequest<?> request,
            @PathVariable("org_id") String orgId,
            @PathVariable String name,
            @Nullable @Body String body) {
        WriteRequests.name("org_id", orgId);
        WriteRequests.name("name", name);
        JsonBody json = JsonBody.parse(body).allowOnly(Set.of("method", "url", "form"));
        String method = json.requiredString("method");
        if (method != null && !METHOD.matcher(method).matches()) json.error("method", "must be an HTTP method");
        String url = json.requiredString("url");
        List<Parameter> form = form(json);
        json.throwIfInvalid();
        RequestToSign toSign = new RequestToSign(method.toUpperCase(Locale.ROOT), url, form);
        return state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name)
                .map(i -> i.orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist")))
                .flatMap(integration -> {
                    if (integration.getAuthScheme() != AuthScheme.OAUTH1) {
                        throw ProblemException.invalid(
                                "auth_scheme",
                                "integration '" + name + "' uses " + integration.getAuthScheme()
                                        + ": only OAUTH1 requests are signed");
                    }
                    return state.<MappingState>get(StoreNames.MAPPINGS, name, Names.mappingKey(name, orgId))
                            .flatMap(mapping -> values.active(request, integration, mapping, orgId));
                })
                .map(m -> {
                    OAuth1Client client = oauth1.client(m.connection());
                    // A PLAINTEXT signature is the consumer secret itself: the platform's key, never an org's to see.
                    if (client.method() == SignatureMethod.PLAINTEXT && !admin(request)) {
                        throw new ProblemException(
                                403,
                                "forbidden",
                                "Forbidden",
                                "a PLAINTEXT signature holds the consumer secret: only admin tokens get it "
                                        + "(org tokens call the provider through the proxy)",
                                List.of(),
                                Map.of());
                    }
                    SignedRequest signed;
                    try {
                        signed = oauth1.signer()
                                .sign(
                                        toSign,
                                        client,
                                        Optional.of(oauth1.token(m.token().orElseThrow())));
                    } catch (SigningRefused e) {
                        throw ProblemException.invalid(e.field(), e.reason());
                    } catch (IllegalArgumentException e) {
                        throw ProblemException.invalid("url", "must be an absolute http(s) URL");
                    }
                    ObjectNode out = JsonBody.mapper().createObjectNode();
                    out.put("Authorization", signed.authorization());
                    return Responses.ok(out);
                });
    }

    /** `form`: each member a string, or a list of strings for a repeated key. */
    private static List<Parameter> form(JsonBody json) {
        List<Parameter> form = new ArrayList<>();
        Optional<ObjectNode> object = json.optionalObject("form");
        object.ifPresent(o -> o.fields().forEachRemaining(member -> {
            JsonNode value = member.getValue();
            if (value.isTextual()) {
                form.add(new Parameter(member.getKey(), value.asText()));
            } else if (value.isArray()) {
                for (JsonNode item : value) {
                    if (!item.isTextual()) {
                        json.error("form", "each member must be a string or a list of strings");
                        return;
                    }
                    form.add(new Parameter(member.getKey(), item.asText()));
                }
            } else {
                json.error("form", "each member must be a string or a list of strings");
            }
        }));
        return form;
    }

    private static boolean admin(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class)
                .map(Caller::admin)
                .orElse(false);
    }
}
