package com.integrationshub.client;

/** 409: the write conflicts with the resource's state (e.g. it already exists). */
public class ConflictException extends IntegrationsHubException {

    public ConflictException(Problem problem) {
        super(problem);
    }
}
