package com.integrationshub.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * The body of {@code POST .../sign} (not part of the client's API).
 *
 * @param method the request's HTTP method
 * @param url    the request's absolute URL, query included
 * @param form   the {@code application/x-www-form-urlencoded} body parameters: a string, or a list for a repeated
 *               key; left out when there are none
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignRequest(
        @JsonProperty("method") String method,
        @JsonProperty("url") String url,
        @JsonProperty("form") @Nullable Map<String, Object> form) {}
