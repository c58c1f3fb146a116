package com.integrationshub.client;

/** 412: the {@code If-Match} version is not the resource's current version; read it again and retry. */
public class PreconditionFailedException extends IntegrationsHubException {

    public PreconditionFailedException(Problem problem) {
        super(problem);
    }
}
