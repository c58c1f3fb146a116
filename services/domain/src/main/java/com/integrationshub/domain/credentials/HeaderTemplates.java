package com.integrationshub.domain.credentials;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An integration's credential_headers rendered for an org: each template's {@code {key}} is replaced by the value
 * of that key (a credential value or a config value of the org); a key that has no value is named, not guessed.
 */
public final class HeaderTemplates {

    private static final Pattern KEY = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    private HeaderTemplates() {}

    /** The headers, or the first key (in header order) that has no value. */
    public static Rendered render(Map<String, String> templates, Map<String, String> values) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : templates.entrySet()) {
            Matcher m = KEY.matcher(header.getValue());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) return new Rendered(Map.of(), Optional.of(m.group(1)));
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            headers.put(header.getKey(), out.toString());
        }
        return new Rendered(headers, Optional.empty());
    }

    /** Rendered headers in template order, or the key that was missing (then no headers). */
    public record Rendered(Map<String, String> headers, Optional<String> missingKey) {}
}
