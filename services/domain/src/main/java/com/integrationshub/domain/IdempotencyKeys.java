package com.integrationshub.domain;

import com.integrationshub.common.Problem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Command ids made from a client's Idempotency-Key. The id is {@code k.<scope>.<fingerprint>}: the scope hashes who
 * sent it (subject and org), the kind of command, the resource and the key, so two callers or two commands never
 * share an id; the fingerprint hashes the request. The command processor remembers a command under its scope
 * ({@link #replayKey}): the same scope with the same fingerprint is a retry (first outcome again), with another
 * fingerprint a misuse of the key (422). Every other command id is its own replay key.
 */
public final class IdempotencyKeys {

    /** The header, named by the problem of a reused key. */
    public static final String HEADER = "Idempotency-Key";

    private static final String PREFIX = "k.";
    /** 192 bits of the scope hash: collisions are not a concern, and the id stays short. */
    private static final int SCOPE_BYTES = 24;

    private static final int FINGERPRINT_BYTES = 16;

    private IdempotencyKeys() {}

    /** The command id of a keyed request. */
    public static String commandId(
            String subject, String orgId, String kind, String resource, String key, String fingerprint) {
        return PREFIX + hash(SCOPE_BYTES, "scope", subject, orgId, kind, resource, key) + "." + fingerprint;
    }

    /** The fingerprint of a request: the parts that make it this request (e.g. If-Match and the canonical body). */
    public static String fingerprint(String... parts) {
        return hash(FINGERPRINT_BYTES, "request", parts);
    }

    /** What a command is remembered under: the scope of a keyed command, else the command id itself. */
    public static String replayKey(String commandId) {
        if (commandId == null || !commandId.startsWith(PREFIX)) return commandId;
        int dot = commandId.lastIndexOf('.');
        return dot > PREFIX.length() ? commandId.substring(0, dot) : commandId;
    }

    /** 422: the key was already used by this caller for this command and resource, with a different request. */
    public static Problem reused() {
        return Problems.invalid(
                HEADER + " was already used with a different request",
                List.of(Problems.fieldError(HEADER, "was already used with a different request; use a new key")));
    }

    private static String hash(int bytes, String domain, String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(domain.getBytes(StandardCharsets.UTF_8));
            for (String part : parts) {
                // Length-prefixed, so ("ab", "c") and ("a", "bc") differ; null differs from "".
                byte[] b = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                digest.update((part == null ? "-1:" : b.length + ":").getBytes(StandardCharsets.UTF_8));
                digest.update(b);
            }
            byte[] full = digest.digest();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
