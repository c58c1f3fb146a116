package com.integrationshub.runtime.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What the access filters need of a raw request path: its segments percent-decoded, and whether it is ambiguous. */
public final class RequestPaths {

    private RequestPaths() {}

    /** A path segment percent-decoded as UTF-8 ('+' stays '+'); empty when it does not decode. */
    public static Optional<String> decode(String segment) {
        try {
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the path could name another resource once normalized or decoded: a segment that is, or decodes to, "."
     * or "..", or decodes to something holding a slash or backslash. No filter may classify such a path by its prefix.
     */
    public static boolean ambiguous(String path) {
        for (String segment : path.split("/", -1)) {
            String decoded = decode(segment).orElse("..");
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\"))
                return true;
        }
        return false;
    }
}
