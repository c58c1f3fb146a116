package com.integrationshub.oauth.client;

import java.util.Arrays;
import java.util.List;

/** The {@code scope} parameter (RFC 6749 §3.3): scope tokens separated by spaces. */
public final class Scopes {

    private Scopes() {}

    /** The scope tokens of a {@code scope} value; empty for null or blank. Runs of spaces count as one. */
    public static List<String> split(String scope) {
        if (scope == null || scope.isBlank()) return List.of();
        return Arrays.stream(scope.trim().split(" +")).toList();
    }

    /** The {@code scope} value of a list of scope tokens. */
    public static String join(List<String> scopes) {
        return String.join(" ", scopes);
    }
}
