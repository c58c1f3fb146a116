package com.integrationshub.query.security;

import java.util.Optional;

/** Who sent a request, from a verified JWT: an admin, or an org that may only act under its own org id. */
public record Caller(String subject, boolean admin, Optional<String> orgId) {

    /** The request attribute the filter stores the caller under. */
    public static final String ATTRIBUTE = "hub.caller";

    /** Whether this caller may act under /v1/orgs/{org}/... */
    public boolean mayActFor(String org) {
        return admin || orgId.map(org::equals).orElse(false);
    }
}
