package com.integrationshub.domain.oauth1;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * RFC 5849 §3.4.1: the string a signature covers, made of the uppercased HTTP method, the base string URI and the
 * normalized request parameters, each percent-encoded (§3.6) and joined by {@code &}.
 */
public final class SignatureBaseString {

    private static final Comparator<String[]> BY_NAME_THEN_VALUE =
            Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]);

    private SignatureBaseString() {}

    /**
     * Returns the base string of a request to {@code url} (its query is read as parameters), with the body's
     * {@code application/x-www-form-urlencoded} parameters {@code form} and the protocol parameters {@code oauth}
     * (every {@code oauth_*} parameter but {@code oauth_signature}; a {@code realm} or {@code oauth_signature}
     * given there is left out).
     *
     * @throws SigningRefused for a URL that is not absolute http(s) or a query that cannot be decoded
     */
    public static String of(String method, String url, List<Parameter> form, List<Parameter> oauth) {
        final URI uri = parse(url);
        final List<Parameter> all = new ArrayList<>(queryParameters(uri));
        all.addAll(form);
        for (Parameter p : oauth) {
            if (!p.name().equals("realm") && !p.name().equals("oauth_signature")) all.add(p);
        }
        return method.toUpperCase(Locale.ROOT)
                + '&'
                + PercentEncoding.encode(baseStringUri(uri))
                + '&'
                + PercentEncoding.encode(normalizedParameters(all));
    }

    /**
     * Returns the base string URI of §3.4.1.2: scheme and host lowercased, the port only when it is not the
     * scheme's default, the path as sent ({@code /} when empty), no query, no fragment.
     *
     * @throws SigningRefused for a URL that is not absolute http(s)
     */
    public static String baseStringUri(String url) {
        return baseStringUri(parse(url));
    }

    /**
     * Returns the parameters normalized per §3.4.1.3.2: each name and value encoded, sorted by encoded name then
     * encoded value (byte order), joined as {@code name=value} pairs with {@code &}.
     */
    public static String normalizedParameters(List<Parameter> parameters) {
        return parameters.stream()
                .map(p -> new String[] {PercentEncoding.encode(p.name()), PercentEncoding.encode(p.value())})
                .sorted(BY_NAME_THEN_VALUE)
                .map(p -> p[0] + '=' + p[1])
                .collect(Collectors.joining("&"));
    }

    /**
     * Returns the parameters of a query or form body ({@code application/x-www-form-urlencoded}), decoded, in order;
     * a name without {@code =} has the empty value.
     *
     * @throws IllegalArgumentException for a malformed percent-encoding
     */
    public static List<Parameter> formParameters(String raw) {
        final List<Parameter> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) continue;
            final int eq = pair.indexOf('=');
            final String name = eq < 0 ? pair : pair.substring(0, eq);
            final String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new Parameter(PercentEncoding.decodeForm(name), PercentEncoding.decodeForm(value)));
        }
        return out;
    }

    static List<Parameter> queryParameters(URI uri) {
        try {
            return formParameters(uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            throw new SigningRefused("url", "the query is not valid percent-encoding");
        }
    }

    static URI parse(String url) {
        if (url == null) throw new SigningRefused("url", "is missing");
        final URI uri;
        try {
            // non-ASCII characters are sent percent-encoded as UTF-8, so the server's base string has them that way
            uri = new URI(new URI(url).toASCIIString());
        } catch (URISyntaxException e) {
            throw new SigningRefused("url", "is not a valid URL");
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null)
            throw new SigningRefused("url", "must be an absolute http or https URL");
        return uri;
    }

    private static String baseStringUri(URI uri) {
        final String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        final int port = uri.getPort();
        final boolean defaultPort =
                port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }
}
