package com.integrationshub.testkit.oauth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} as both endpoints read and write it. */
final class FormEncoding {

    private FormEncoding() {}

    /** Parses a form or query string; a repeated parameter is refused (RFC 6749 §3.1, §3.2). */
    static Map<String, String> parse(String raw) {
        final Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return values;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            final int eq = pair.indexOf('=');
            final String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            final String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (values.put(name, value) != null) throw new IllegalArgumentException("parameter " + name + " repeated");
        }
        return values;
    }

    /** Returns {@code url} with the name/value pairs added to its query; a null value is left out. */
    static String withParams(String url, String... nameValues) {
        final StringBuilder out = new StringBuilder(url);
        char separator = url.contains("?") ? '&' : '?';
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] == null) continue;
            out.append(separator)
                    .append(nameValues[i])
                    .append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }
}
