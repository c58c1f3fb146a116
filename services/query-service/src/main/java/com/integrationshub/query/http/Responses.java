package com.integrationshub.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** JSON responses with the resource's version as ETag. */
public final class Responses {

    private Responses() {}

    /** 200 with a JSON body. */
    public static MutableHttpResponse<?> ok(JsonNode body) {
        return HttpResponse.ok(body.toString()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** 200 with a JSON body and `ETag: "<version>"`. */
    public static MutableHttpResponse<?> ok(JsonNode body, long version) {
        return ok(body).header(HttpHeaders.ETAG, etag(version));
    }

    /** 200 with a JSON body already written, and `ETag: "<version>"`. */
    public static MutableHttpResponse<?> ok(String json, long version) {
        return HttpResponse.ok(json)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, etag(version));
    }

    /** The ETag of a version. */
    public static String etag(long version) {
        return "\"" + version + "\"";
    }
}
