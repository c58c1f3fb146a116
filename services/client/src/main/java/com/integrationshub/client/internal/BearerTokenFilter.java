package com.integrationshub.client.internal;

import com.integrationshub.client.BearerTokenSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Adds {@code Authorization: Bearer <token>} to the hub client's requests, and to no other client's. */
@ClientFilter(serviceId = HubHttpApi.SERVICE_ID)
@Requires(beans = BearerTokenSource.class)
public class BearerTokenFilter {

    private final BearerTokenSource tokens;

    public BearerTokenFilter(BearerTokenSource tokens) {
        this.tokens = tokens;
    }

    /** Sets the header from the token source, asked now; a null or blank token sends none. */
    @RequestFilter
    public void authorize(MutableHttpRequest<?> request) {
        String token = tokens.token();
        if (token != null && !token.isBlank()) request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token.strip());
    }
}
