package com.integrationshub.query;

import com.integrationshub.query.apidoc.ApiSchemas;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.Locale;

/** Starts the query service: the HTTP API, the command processor and the views. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Integrations Hub",
                        version = "v1",
                        description =
                                "The HTTP API of Integrations Hub's query-service (API.md, v1). Every request"
                                        + " carries a bearer JWT (HS256): an admin token, or an org token that may act under"
                                        + " /v1/orgs/{its org}/ only (the open operations say so). Errors are application/problem+json (RFC 9457)."),
        security = @SecurityRequirement(name = ApiSchemas.BEARER))
@SecurityScheme(name = ApiSchemas.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public final class QueryServiceApplication {

    private QueryServiceApplication() {}

    public static void main(String[] args) {
        useFixedFormatLocale();
        Micronaut.run(QueryServiceApplication.class, args);
    }

    /**
     * Formats in en-US whatever the host's locale: what the service writes must not change with it (digits, separators),
     * and it is much cheaper. Kafka Streams 4.3 formats the text of a not-ready log line with {@code String.format} for
     * every record of a task whose other input partition is empty (a command partition while events are folded), and
     * Java's formatter builds new {@code DecimalFormatSymbols} for each number it formats unless the locale is en-US:
     * about 5 µs a record under the "en" of a C.UTF-8 host against 1 µs (BENCHMARKS.md, "Replay").
     */
    static void useFixedFormatLocale() {
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
    }
}
