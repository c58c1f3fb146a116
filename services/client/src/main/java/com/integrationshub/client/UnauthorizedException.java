package com.integrationshub.client;

/** 401: the bearer token is missing, malformed, expired or signed with another secret. */
public class UnauthorizedException extends IntegrationsHubException {

    public UnauthorizedException(Problem problem) {
        super(problem);
    }
}
