package com.integrationshub.query.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.domain.Names;
import com.integrationshub.query.json.JsonBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The body of POST /v1/orgs/{org}/connect-sessions, checked: 1 to {@value #MAX_INTEGRATIONS} distinct integration
 * names, expires_in in seconds within 60 and the configured maximum (the configured default when absent), and a
 * return_url the allow-list allows. Whether each integration exists is the caller's to check.
 *
 * @param integrations the names, in the order given
 * @param expiresIn    the session's lifetime
 * @param returnUrl    where the page's "Done" leads, if anywhere
 */
public record SessionRequest(List<String> integrations, Duration expiresIn, Optional<String> returnUrl) {

    /** The most integrations one session lists. */
    public static final int MAX_INTEGRATIONS = 50;

    /** The request in `json`; every invalid field is added to `json`'s errors (thrown by its throwIfInvalid). */
    public static SessionRequest read(JsonBody json, ConnectSettings settings, ReturnUrlAllowList returnUrls) {
        json.allowOnly(Set.of("integrations", "expires_in", "return_url"));
        List<String> names = new ArrayList<>();
        if (!json.has("integrations") || json.isNull("integrations")) {
            json.error("integrations", "is required");
        } else {
            List<JsonNode> items = json.optionalArray("integrations").orElse(null);
            if (items != null && items.isEmpty()) json.error("integrations", "must list at least one integration");
            if (items != null && items.size() > MAX_INTEGRATIONS) {
                json.error("integrations", "must list at most " + MAX_INTEGRATIONS + " integrations");
            } else if (items != null) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < items.size(); i++) {
                    String at = "integrations[" + i + "]";
                    JsonNode item = items.get(i);
                    if (!item.isTextual() || !Names.valid(item.asText())) json.error(at, Names.RULE);
                    else if (!seen.add(item.asText())) json.error(at, "is listed twice");
                    else names.add(item.asText());
                }
            }
        }
        Duration expiresIn = settings.defaultExpiresIn();
        Long seconds = json.optionalLong("expires_in");
        if (seconds != null) {
            long min = ConnectSettings.MIN_EXPIRES_IN.toSeconds();
            long max = settings.maxExpiresIn().toSeconds();
            if (seconds < min || seconds > max) {
                json.error("expires_in", "must be between " + min + " and " + max + " seconds");
            } else {
                expiresIn = Duration.ofSeconds(seconds);
            }
        }
        String returnUrl = json.optionalString("return_url");
        if (returnUrl != null) returnUrls.refusal(returnUrl).ifPresent(why -> json.error("return_url", why));
        return new SessionRequest(names, expiresIn, Optional.ofNullable(returnUrl));
    }
}
