package com.integrationshub.client;

/** 404: the integration, or the org's mapping of it, does not exist. */
public class NotFoundException extends IntegrationsHubException {

    public NotFoundException(Problem problem) {
        super(problem);
    }
}
