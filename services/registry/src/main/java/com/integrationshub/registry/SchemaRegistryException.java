package com.integrationshub.registry;

/**
 * A schema registry refused a request, gave an answer that could not be used, or could not be reached.
 *
 * <p>Carries the HTTP status and the Confluent {@code error_code} of the registry's answer (for example 409/409 for an
 * incompatible schema, 404/40403 for an unknown schema id). {@link #status()} is {@link #NONE} when no answer came
 * (connection refused, timeout, interrupted); {@link #errorCode()} is {@link #NONE} when the answer carried no
 * error code.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** The value of {@link #status()} or {@link #errorCode()} when there is none. */
    public static final int NONE = -1;

    private final int status;
    private final int errorCode;

    /** Creates an exception for an answer with the given HTTP status and Confluent error code. */
    public SchemaRegistryException(String message, int status, int errorCode) {
        this(message, status, errorCode, null);
    }

    /** Creates an exception for an answer with the given HTTP status and Confluent error code, caused by {@code cause}. */
    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** Creates an exception for a request that got no answer. */
    public SchemaRegistryException(String message, Throwable cause) {
        this(message, NONE, NONE, cause);
    }

    /** Returns the HTTP status of the registry's answer, or {@link #NONE} if none came. */
    public int status() {
        return status;
    }

    /**
     * Whether the failure, or one of its causes, is a registry that did not answer, failed (no answer, 5xx) or refused
     * this client's credentials (401, 403): the record may be fine and is worth reading again later, unlike one the
     * registry answered for (e.g. unknown id). A refused login says nothing about the record, so it must not send the
     * record to the dead letters.
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException e
                    && (e.status() == NONE || e.status() >= 500 || e.status() == 401 || e.status() == 403)) return true;
        }
        return false;
    }

    /** Returns the Confluent {@code error_code} of the registry's answer, or {@link #NONE} if it carried none. */
    public int errorCode() {
        return errorCode;
    }
}
