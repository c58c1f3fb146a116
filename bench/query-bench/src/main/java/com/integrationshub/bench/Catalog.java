package com.integrationshub.bench;

/**
 * The JSON bodies the benchmark writes: integrations with a schema of five fields (one a secret), their defaults, and
 * each org's overrides (odd orgs also override the secret).
 */
final class Catalog {

    static final String SCHEMA = "[{\"key\":\"base_url\",\"type\":\"string\",\"required\":true},"
            + "{\"key\":\"api_key\",\"type\":\"secret\",\"required\":false},"
            + "{\"key\":\"timeout\",\"type\":\"int\",\"required\":false},"
            + "{\"key\":\"verbose\",\"type\":\"bool\",\"required\":false},"
            + "{\"key\":\"custom\",\"type\":\"string\",\"required\":false}]";

    private final Names names;

    Catalog(Names names) {
        this.names = names;
    }

    /** POST /v1/integrations body of integration i. */
    String integration(int i) {
        return "{\"name\":\"" + names.integration(i) + "\",\"description\":\"benchmark integration " + i + "\","
                + "\"auth_scheme\":\"API_KEY\",\"entity_id_name\":\"Tenant ID\",\"config_schema\":" + SCHEMA + "}";
    }

    /** PUT .../defaults body of integration i with the given base_url. */
    String defaults(int i, String baseUrl) {
        return "{\"config\":{\"base_url\":\"" + baseUrl + "\",\"api_key\":\"sk-default-" + i + "\","
                + "\"timeout\":30,\"verbose\":false}}";
    }

    /** The first base_url default of integration i. */
    String baseUrl(int i) {
        return "https://" + names.integration(i) + ".example";
    }

    /** PUT .../mappings/{org} body of org o in integration i, with `custom` as the org's custom override. */
    String mapping(int i, int o, String custom) {
        String secret = o % 2 == 1 ? ",\"api_key\":\"sk-" + names.org(o) + "-" + i + "\"" : "";
        return "{\"entity_id\":\"tenant-" + o + "\",\"entity_name\":\"Org " + o + "\",\"config\":{\"custom\":\""
                + custom + "\",\"timeout\":" + (o % 60 + 1) + secret + "}}";
    }

    /** The custom override the load phase gives org o in integration i. */
    String loadedCustom(int i, int o) {
        return "c-" + o + "-" + i;
    }
}
