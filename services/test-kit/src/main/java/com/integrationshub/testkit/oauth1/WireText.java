package com.integrationshub.testkit.oauth1;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's own reading and writing of OAuth 1.0a text, deliberately not the hub's code: RFC 5849 §3.6
 * encoding derived from the JDK's form encoder, form and query parsing with the JDK's decoder, and the
 * {@code Authorization: OAuth} header (§3.5.1) parsed by a regular expression.
 */
final class WireText {

    private static final Pattern HEADER_PARAM =
            Pattern.compile("\\s*([A-Za-z0-9_%.~-]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(?:,|$)");

    private WireText() {}

    /** §3.6: the form encoder's output with {@code +} (a space), {@code *} and {@code ~} set right. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    /** Decodes a §3.6-encoded header value: a {@code +} there is a plus, never a space. */
    static String decodeStrict(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Parses {@code application/x-www-form-urlencoded} text (a query or a body) into its pairs, in order. */
    static List<Map.Entry<String, String>> form(String raw) {
        final List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (raw == null) return pairs;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            final String[] nameValue = pair.split("=", 2);
            pairs.add(new SimpleEntry<>(
                    URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length == 2 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : ""));
        }
        return pairs;
    }

    /** Writes pairs as {@code application/x-www-form-urlencoded} text. */
    static String formText(Map<String, String> pairs) {
        final StringBuilder out = new StringBuilder();
        pairs.forEach((name, value) -> {
            if (out.length() > 0) out.append('&');
            out.append(encode(name)).append('=').append(encode(value));
        });
        return out.toString();
    }

    /**
     * Parses an {@code Authorization: OAuth ...} header into its parameters, decoded ({@code realm} kept as sent);
     * null when the header is absent or not of the OAuth scheme.
     *
     * @throws IllegalArgumentException when a parameter is repeated or the header cannot be read
     */
    static Map<String, String> authorization(String header) {
        if (header == null) return null;
        final String trimmed = header.strip();
        if (trimmed.length() < 6 || !trimmed.substring(0, 6).equalsIgnoreCase("OAuth ")) return null;
        final String rest = trimmed.substring(6);
        final Map<String, String> params = new LinkedHashMap<>();
        final Matcher m = HEADER_PARAM.matcher(rest);
        int at = 0;
        while (at < rest.length() && m.find(at) && m.start() == at) {
            final String name = decodeStrict(m.group(1));
            final String raw = m.group(2);
            final String value = name.equals("realm") ? raw.replaceAll("\\\\(.)", "$1") : decodeStrict(raw);
            if (params.put(name, value) != null) throw new IllegalArgumentException("repeated " + name);
            at = m.end();
        }
        if (!rest.substring(at).isBlank()) throw new IllegalArgumentException("unreadable Authorization header");
        return params;
    }
}
