package com.integrationshub.refresher.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds secret values where they must never be: the test log (every refresher line, DEBUG included) and raw bytes. */
public final class SecretLeaks {

    /** The file logback-test.xml writes every log line to. */
    public static final Path LOG_FILE = Path.of("target", "refresher-test.log");

    private SecretLeaks() {}

    /** Returns the secrets that appear in the test log. */
    public static List<String> inLog(Collection<String> secrets) {
        final String log;
        try {
            log = Files.exists(LOG_FILE) ? Files.readString(LOG_FILE, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + LOG_FILE, e);
        }
        return secrets.stream().filter(log::contains).toList();
    }

    /** Returns the secrets that appear in any of the byte arrays (e.g. raw records of a topic). */
    public static List<String> inBytes(Collection<String> secrets, Collection<byte[]> blobs) {
        final List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            final byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
            if (blobs.stream().anyMatch(b -> indexOf(b, needle) >= 0)) found.add(secret);
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
