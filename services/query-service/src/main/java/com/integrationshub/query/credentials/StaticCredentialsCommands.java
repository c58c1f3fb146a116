package com.integrationshub.query.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.write.WriteRequests;
import com.integrationshub.runtime.secrets.SecretBox;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The SetCredentials command of a static connect (API_KEY, BEARER_TOKEN, BASIC, NO_AUTH): the scheme's fields
 * checked, the secret ones sealed for their place before anything leaves this service.
 */
@Singleton
public class StaticCredentialsCommands {

    private final SecretBox box;
    private final Clock clock;

    public StaticCredentialsCommands(SecretBox box, Clock clock) {
        this.box = box;
        this.clock = clock;
    }

    /** The command for `data`; invalid fields are added to `json` and thrown as one 422. */
    public SetCredentials set(
            HttpRequest<?> request,
            String name,
            String orgId,
            AuthScheme scheme,
            ObjectNode data,
            JsonBody json,
            String body) {
        Map<String, Boolean> fields = CredentialsDecider.FIELDS.get(scheme);
        Map<String, Object> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = data.fields();
        while (it.hasNext()) {
            var e = it.next();
            Boolean secret = fields.get(e.getKey());
            if (secret == null) {
                json.error("data." + e.getKey(), "unknown field for " + scheme);
            } else if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                json.error("data." + e.getKey(), "must be a non-empty string");
            } else {
                values.put(
                        e.getKey(),
                        secret
                                ? box.seal(e.getValue().asText(), SecretPlaces.credential(name, orgId, e.getKey()))
                                : e.getValue().asText());
            }
        }
        fields.keySet().stream()
                .filter(f -> !data.has(f))
                .forEach(f -> json.error("data." + f, "is required for " + scheme));
        json.throwIfInvalid();
        String commandId = WriteRequests.commandId(
                request, SetCredentials.class, Names.mappingAggregate(name, orgId) + "/credentials", body);
        return SetCredentials.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(clock.instant())
                .setIssuedBy(WriteRequests.issuedBy(request))
                .setConnectionId(connectionId(name, orgId))
                .setIntegrationName(name)
                .setOrgId(orgId)
                .setAuthScheme(scheme)
                .setValues(values)
                .build();
    }

    /** The connection id of an org's static credentials: stable, derived from the integration and the org. */
    public static String connectionId(String name, String orgId) {
        return UUID.nameUUIDFromBytes(CredentialsDecider.key(name, orgId).getBytes())
                .toString();
    }
}
