package com.integrationshub.domain.credentials;

import java.util.List;

/** Which static credentials serve an org, own then global: the org's own, else the integration's global ones. */
public final class CredentialsChoice {

    private CredentialsChoice() {}

    /** The credentials keys to try in order; the first that exists serves. */
    public static List<String> candidates(String integrationName, String orgId) {
        return List.of(CredentialsDecider.key(integrationName, orgId), CredentialsDecider.key(integrationName, null));
    }
}
