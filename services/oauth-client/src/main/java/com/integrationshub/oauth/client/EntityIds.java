package com.integrationshub.oauth.client;

import java.nio.charset.StandardCharsets;

/**
 * Fills {@code {entity_id}} in a provider URL (multi-tenant providers, e.g.
 * {@code https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token}) with one encoding everywhere: the entity
 * id is one path segment, every byte but RFC 3986's unreserved characters percent-encoded (a space is {@code %20}).
 *
 * <p>An entity id containing {@code /}, {@code \}, {@code ?}, {@code #}, a control character, or being {@code .} or
 * {@code ..}, is refused rather than encoded: many servers and proxies decode {@code %2F} / {@code %5C} back into a
 * separator and resolve dot segments, so such an id could send the client's credentials to another path of the
 * provider (another tenant's endpoint). Tenant identifiers (GUIDs, domain names) never contain them, so refusing
 * costs nothing and leaves no ambiguity.
 */
public final class EntityIds {

    /** The placeholder in connection URLs. */
    public static final String PLACEHOLDER = "{entity_id}";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EntityIds() {}

    /** Whether a URL has the placeholder. */
    public static boolean needsEntity(String url) {
        return url != null && url.contains(PLACEHOLDER);
    }

    /**
     * The URL with every {@code {entity_id}} replaced by the encoded entity id; the URL itself when it has none.
     *
     * @throws EntityIdRefusedException when the URL needs an entity id and it is missing or not usable as a segment
     */
    public static String fill(String url, String entityId) {
        if (url == null || !needsEntity(url)) return url;
        return url.replace(PLACEHOLDER, segment(entityId));
    }

    /** The entity id as one percent-encoded path segment. */
    public static String segment(String entityId) {
        if (entityId == null || entityId.isEmpty())
            throw new EntityIdRefusedException("is required by the connection's URLs");
        if (entityId.equals(".") || entityId.equals(".."))
            throw new EntityIdRefusedException("must not be a dot segment");
        final StringBuilder out = new StringBuilder(entityId.length() + 8);
        for (byte b : entityId.getBytes(StandardCharsets.UTF_8)) {
            final int c = b & 0xFF;
            if (c == '/' || c == '\\' || c == '?' || c == '#' || c < 0x20 || c == 0x7F) {
                throw new EntityIdRefusedException("must not contain '/', '\\', '?', '#' or control characters");
            }
            if (unreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_'
                || c == '~';
    }

    /** An entity id that cannot fill a provider URL; the message says why and never contains the id. */
    public static final class EntityIdRefusedException extends IllegalArgumentException {
        public EntityIdRefusedException(String reason) {
            super(reason);
        }
    }
}
