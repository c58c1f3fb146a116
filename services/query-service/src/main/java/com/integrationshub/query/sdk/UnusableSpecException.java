package com.integrationshub.query.sdk;

/** A provider's document an SDK cannot be generated from; the message says why and never quotes the document. */
public final class UnusableSpecException extends RuntimeException {

    public UnusableSpecException(String message) {
        super(message, null, false, false);
    }
}
