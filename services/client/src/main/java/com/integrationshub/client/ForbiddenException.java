package com.integrationshub.client;

/** 403: the token is valid but may not do this (an org token outside its org, or on an admin endpoint). */
public class ForbiddenException extends IntegrationsHubException {

    public ForbiddenException(Problem problem) {
        super(problem);
    }
}
