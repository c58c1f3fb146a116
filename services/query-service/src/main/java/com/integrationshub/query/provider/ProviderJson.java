package com.integrationshub.query.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.json.JsonBody;

/** A catalogue entry as JSON (API.md, "OAuth connections": GET /v1/providers). */
public final class ProviderJson {

    private ProviderJson() {}

    /** The entry as JSON; every member present, absent ones null. */
    public static ObjectNode render(Provider p) {
        ObjectNode out = JsonBody.mapper().createObjectNode();
        out.put("provider", p.provider());
        out.put("display_name", p.displayName());
        strings(out.putArray("grant_types"), p.grantTypes());
        out.put("authorization_url", p.authorizationUrl());
        out.put("token_url", p.tokenUrl());
        strings(out.putArray("scopes"), p.scopes());
        out.put("pkce", p.pkce());
        out.put("token_auth_method", p.tokenAuthMethod());
        out.put("docs_url", p.docsUrl());
        out.put("entity_id_name", p.entityIdName());
        out.put("scope_separator", p.scopeSeparator());
        out.put("refresh_token_rotation", p.refreshTokenRotation());
        out.put("expires_in_omitted", p.expiresInOmitted());
        ObjectNode extra = out.putObject("extra_authorize_params");
        p.extraAuthorizeParams().forEach(extra::put);
        out.put("notes", p.notes());
        return out;
    }

    private static void strings(ArrayNode array, Iterable<String> values) {
        values.forEach(array::add);
    }
}
