package com.integrationshub.query.sdk;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The languages GET .../sdk/{language} generates, each with the openapi-generator generator (and library) that makes
 * it: clients whose only dependencies are the language's usual HTTP and JSON ones.
 */
public enum SdkLanguage {
    /**
     * A Maven project; library okhttp-gson, the generator's default, which sets a bearer token the usual way
     * ({@code ApiClient.setBearerToken}); "native" (java.net.http) would need fewer dependencies but has no
     * authentication support, so every caller would have to add the header by hand.
     */
    JAVA("java", "java", "okhttp-gson"),
    /** typescript-fetch: the platform's fetch (browsers, Node 18+), no runtime dependency at all. */
    TYPESCRIPT("typescript", "typescript-fetch", null),
    /** The maintained "python" generator: urllib3 and pydantic v2. */
    PYTHON("python", "python", null);

    private final String path;
    private final String generator;
    private final String library;

    SdkLanguage(String path, String generator, String library) {
        this.path = path;
        this.generator = generator;
        this.library = library;
    }

    /** The language as it appears in the URL. */
    public String path() {
        return path;
    }

    /** openapi-generator's generator name. */
    public String generator() {
        return generator;
    }

    /** The generator's library, or null for its default. */
    public String library() {
        return library;
    }

    /** The language named in a URL, if the hub generates it. */
    public static Optional<SdkLanguage> of(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.path.equals(lower)).findFirst();
    }

    /** "java, typescript, python" for messages. */
    public static String names() {
        return Arrays.stream(values()).map(SdkLanguage::path).collect(Collectors.joining(", "));
    }
}
