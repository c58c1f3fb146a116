package com.integrationshub.query.proxy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a proxied request goes: {@code <base>/<path>?<query>}, the base without its trailing {@code /}, the path as
 * received (empty: {@code <base>/}), the base's own query followed by the caller's. A path with a dot segment
 * ({@code ..} or {@code .}, also percent-encoded) is refused: it would climb out of the base's path; and the result
 * must stay on the base's scheme, host and port.
 */
public final class ProxyTarget {

    private ProxyTarget() {}

    /** The target, or why not (a 422 detail). */
    public static Result of(String base, String rawPath, String rawQuery) {
        if (base == null || base.isBlank()) return Result.refused("the base URL is not set");
        final URI baseUri;
        try {
            baseUri = URI.create(base.trim());
        } catch (IllegalArgumentException e) {
            return Result.refused("the base URL is not a valid URL");
        }
        if (!baseUri.isAbsolute() || baseUri.getHost() == null || baseUri.getRawFragment() != null) {
            return Result.refused("the base URL must be an absolute URL with a host and no fragment");
        }
        String path = rawPath == null ? "" : rawPath;
        for (String segment : path.split("/", -1)) {
            String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.equals("..") || decoded.equals(".") || decoded.contains("/") || decoded.contains("\\")) {
                return Result.invalidPath("the path must not contain dot segments or encoded slashes");
            }
        }
        String baseText = base.trim();
        String baseQuery = baseUri.getRawQuery();
        String withoutQuery = baseQuery == null ? baseText : baseText.substring(0, baseText.indexOf('?'));
        while (withoutQuery.endsWith("/")) withoutQuery = withoutQuery.substring(0, withoutQuery.length() - 1);
        StringBuilder url = new StringBuilder(withoutQuery).append('/').append(path);
        String query = join(baseQuery, rawQuery);
        if (!query.isEmpty()) url.append('?').append(query);
        final URI target;
        try {
            target = URI.create(url.toString());
        } catch (IllegalArgumentException e) {
            return Result.invalidPath("the path or query is not valid in a URL");
        }
        if (!baseUri.getScheme().equalsIgnoreCase(target.getScheme())
                || !baseUri.getHost()
                        .equalsIgnoreCase(Optional.ofNullable(target.getHost()).orElse(""))
                || baseUri.getPort() != target.getPort()
                || target.getRawUserInfo() != null) {
            return Result.invalidPath("the path would leave the provider's host");
        }
        return new Result(target, null, false);
    }

    private static String join(String a, String b) {
        boolean hasA = a != null && !a.isEmpty();
        boolean hasB = b != null && !b.isEmpty();
        if (hasA && hasB) return a + "&" + b;
        return hasA ? a : hasB ? b : "";
    }

    /** A target URI, or a refusal: of the base URL (422) or of the caller's path (400). */
    public record Result(URI uri, String refusal, boolean badPath) {
        static Result refused(String why) {
            return new Result(null, why, false);
        }

        static Result invalidPath(String why) {
            return new Result(null, why, true);
        }
    }
}
