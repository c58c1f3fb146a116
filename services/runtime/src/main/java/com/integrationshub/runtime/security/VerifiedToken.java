package com.integrationshub.runtime.security;

import java.util.Optional;

/**
 * The caller a valid public token names: an admin, or an org (a valid name) that may act only under its own id.
 *
 * @param subject the token's sub
 * @param admin   whether roles holds "admin"
 * @param orgId   the org_id claim, when present
 */
public record VerifiedToken(String subject, boolean admin, Optional<String> orgId) {}
