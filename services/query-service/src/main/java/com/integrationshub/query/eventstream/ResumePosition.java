package com.integrationshub.query.eventstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a stream stands in the events topic: the next offset to read of every partition. Its id (an SSE message's
 * {@code id:}, which a client sends back as {@code Last-Event-ID}) is opaque to clients: base64url, without padding,
 * of {@code <partition>:<offset>} pairs joined by commas, e.g. {@code 0:15,1:7,2:0}.
 */
public record ResumePosition(Map<Integer, Long> offsets) {

    /** The longest id read: far more than any partition count needs, and a bound on what a header makes us parse. */
    static final int MAX_ID_LENGTH = 8192;

    private static final Pattern PAIRS = Pattern.compile("\\d{1,9}:\\d{1,18}(,\\d{1,9}:\\d{1,18})*");

    public ResumePosition {
        offsets = Collections.unmodifiableMap(new TreeMap<>(offsets));
    }

    /**
     * The position an id stands for.
     *
     * @throws IllegalArgumentException when the id is not one this service made (what is wrong, without the id)
     */
    public static ResumePosition parse(String id) {
        if (id.length() > MAX_ID_LENGTH) throw new IllegalArgumentException("is longer than any id this stream sends");
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an id this stream sent (not base64url)");
        }
        if (!PAIRS.matcher(text).matches()) {
            throw new IllegalArgumentException("is not an id this stream sent (not partition:offset pairs)");
        }
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String pair : text.split(",")) {
            int colon = pair.indexOf(':');
            int partition = Integer.parseInt(pair.substring(0, colon));
            long offset = Long.parseLong(pair.substring(colon + 1));
            if (offsets.put(partition, offset) != null) {
                throw new IllegalArgumentException("is not an id this stream sent (a partition twice)");
            }
        }
        return new ResumePosition(offsets);
    }

    /** The id of this position. */
    public String id() {
        StringJoiner text = new StringJoiner(",");
        offsets.forEach((partition, offset) -> text.add(partition + ":" + offset));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
