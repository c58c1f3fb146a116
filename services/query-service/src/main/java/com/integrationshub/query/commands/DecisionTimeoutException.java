package com.integrationshub.query.commands;

/** No decision on a command arrived in time; the caller may retry with the same command id. */
public final class DecisionTimeoutException extends RuntimeException {

    public DecisionTimeoutException(String commandId, Throwable cause) {
        super("no decision on command " + commandId + " arrived in time", cause);
    }
}
