package com.integrationshub.query.connect;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The connect page's HTML, read once from the classpath (connect-assets/, beside its script and style): a shell with
 * no data in it (connect.js reads the session's status), and the two error pages, which say nothing of the session.
 */
@Singleton
public class ConnectPages {

    private final String page = read("connect-assets/connect.html");
    private final String expired = read("connect-assets/expired.html");
    private final String unknown = read("connect-assets/unknown.html");

    /** The page a valid session gets. */
    public String page() {
        return page;
    }

    /** The page of an expired session. */
    public String expired() {
        return expired;
    }

    /** The page of a token that is not a session's. */
    public String unknown() {
        return unknown;
    }

    private static String read(String resource) {
        try (InputStream in = ConnectPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
