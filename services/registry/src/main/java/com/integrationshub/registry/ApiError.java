package com.integrationshub.registry;

/** A refusal of the local registry's REST API: HTTP status, Confluent error code and message. */
final class ApiError extends RuntimeException {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    static final int INCOMPATIBLE_SCHEMA = 409;
    static final int INVALID_SCHEMA = 42201;
    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    ApiError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    ApiError(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** Returns the HTTP status to answer with. */
    int status() {
        return status;
    }

    /** Returns the Confluent {@code error_code} to answer with. */
    int errorCode() {
        return errorCode;
    }

    static ApiError subjectNotFound(String subject) {
        return new ApiError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static ApiError versionNotFound(String subject, int version) {
        return new ApiError(404, VERSION_NOT_FOUND, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static ApiError schemaNotFound(int id) {
        return new ApiError(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }

    static ApiError invalidSchema(String detail) {
        return new ApiError(422, INVALID_SCHEMA, "Invalid schema: " + detail);
    }

    static ApiError invalidVersion(String version) {
        return new ApiError(
                422,
                INVALID_VERSION,
                "The specified version '" + version
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static ApiError invalidCompatibilityLevel(String level) {
        return new ApiError(
                422,
                INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level: " + level
                        + ". Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
    }
}
