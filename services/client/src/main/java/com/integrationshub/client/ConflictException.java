package com.integrationshub.client;

/**
 * 409: the request conflicts with the resource's state (e.g. it already exists). The credentials calls' own 409s are
 * subclasses: {@link NotAuthorizedException}, {@link KeyNotFoundException} and {@link NeedsReauthException}; any
 * other 409 is this class itself, so a {@code catch (ConflictException e)} still catches them all.
 */
public class ConflictException extends IntegrationsHubException {

    public ConflictException(Problem problem) {
        super(problem);
    }
}
