package com.integrationshub.query;

import io.micronaut.runtime.Micronaut;

/** Starts the query service: the HTTP API, the command processor and the views. */
public final class QueryServiceApplication {

    private QueryServiceApplication() {}

    public static void main(String[] args) {
        Micronaut.run(QueryServiceApplication.class, args);
    }
}
