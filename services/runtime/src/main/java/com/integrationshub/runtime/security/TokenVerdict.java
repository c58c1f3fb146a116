package com.integrationshub.runtime.security;

/**
 * What a well-signed token with a subject is good for, apart from its times, and the times that decide when: the
 * caller it names as a bearer token (null when a bearer token's rules refuse it), whether it is an instance-to-instance
 * token, and its exp, iat and nbf in epoch milliseconds ({@link #ABSENT} for a missing iat or nbf). Small on purpose:
 * {@link VerifiedTokens} keeps one per remembered token.
 */
record TokenVerdict(VerifiedToken bearer, boolean internal, long expiresAt, long issuedAt, long notBefore) {

    /** A time claim the token does not carry. */
    static final long ABSENT = Long.MIN_VALUE;
}
