package com.integrationshub.client;

/**
 * No usable answer came from the hub: the connection failed or timed out, or the answer could not be read. A write
 * may or may not have been applied; retry it with the same idempotency key.
 */
public class HubCommunicationException extends RuntimeException {

    public HubCommunicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
