package com.integrationshub.query.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The return URLs a connect session may lead back to (hub.connect.return-urls): each entry a URL prefix. A URL is
 * allowed when its scheme, host and port equal an entry's exactly (the port by the scheme's default when left out)
 * and its path is the entry's path or below it, segment by segment (/settings allows /settings and /settings/x,
 * not /settings-evil). Query and fragment are free. No entries: every URL is refused.
 */
public final class ReturnUrlAllowList {

    /** The longest return URL taken: it travels inside the session token. */
    public static final int MAX_URL_CHARS = 2048;

    /** Dot segments, encoded slashes or backslashes, encoded dots: paths that a browser may resolve elsewhere. */
    private static final Pattern AMBIGUOUS_PATH =
            Pattern.compile("(^|/)\\.{1,2}(/|$)|%2[eEfF]|%5[cC]|\\\\", Pattern.CASE_INSENSITIVE);

    private final List<Origin> entries;

    /** The allow-list of these entries; fails naming the first entry that is not an http(s) URL prefix. */
    public ReturnUrlAllowList(List<String> prefixes) {
        List<Origin> parsed = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            String entry = prefixes.get(i);
            if (entry == null || entry.isBlank()) continue;
            Optional<Origin> origin = Origin.of(entry.strip());
            if (origin.isEmpty() || origin.get().hasQuery()) {
                throw new IllegalArgumentException("hub.connect.return-urls[" + i + "] is not an http(s) URL prefix "
                        + "(scheme://host[:port][/path], no user info, query or fragment)");
            }
            parsed.add(origin.get());
        }
        this.entries = List.copyOf(parsed);
    }

    /** Why the URL may not be a session's return URL; empty when it may. The message never repeats the URL. */
    public Optional<String> refusal(String url) {
        if (url.length() > MAX_URL_CHARS) return Optional.of("must be at most " + MAX_URL_CHARS + " characters");
        Optional<Origin> candidate = Origin.of(url);
        if (candidate.isEmpty()) return Optional.of("must be an absolute http or https URL without user info");
        if (entries.isEmpty()) return Optional.of("no return URL is allowed: hub.connect.return-urls is empty");
        for (Origin entry : entries) if (entry.allows(candidate.get())) return Optional.empty();
        return Optional.of("is not under any of the allowed return URLs (hub.connect.return-urls)");
    }

    /** An http(s) URL taken apart: what the comparison needs. */
    private record Origin(String scheme, String host, int port, String path, boolean hasQuery) {

        static Optional<Origin> of(String text) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) return Optional.empty();
            if (uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null) return Optional.empty();
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (AMBIGUOUS_PATH.matcher(path).find()) return Optional.empty();
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return Optional.of(new Origin(
                    scheme,
                    uri.getHost().toLowerCase(Locale.ROOT),
                    port,
                    path,
                    uri.getRawQuery() != null || uri.getRawFragment() != null));
        }

        boolean allows(Origin other) {
            if (!scheme.equals(other.scheme) || !host.equals(other.host) || port != other.port) return false;
            String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return base.isEmpty() || other.path.equals(base) || other.path.startsWith(base + "/");
        }
    }
}
