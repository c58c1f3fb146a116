package com.integrationshub.domain.oauth1;

import java.util.Objects;

/** One name/value pair of a request (query, form body or protocol parameter), decoded; names may repeat. */
public record Parameter(String name, String value) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
