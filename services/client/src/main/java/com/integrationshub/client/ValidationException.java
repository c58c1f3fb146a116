package com.integrationshub.client;

/**
 * 422: the request is well-formed but invalid, e.g. a config value that breaks the integration's schema;
 * {@link #errors()} names each invalid field.
 */
public class ValidationException extends IntegrationsHubException {

    public ValidationException(Problem problem) {
        super(problem);
    }
}
