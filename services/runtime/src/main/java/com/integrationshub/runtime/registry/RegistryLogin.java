package com.integrationshub.runtime.registry;

import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.registry.SchemaRegistryException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up check of the registry's login: a registry that refuses the service's credentials stops the start,
 * naming the settings, rather than failing every record later. A registry that does not answer does not: the
 * services wait for a registry outage to end.
 */
public final class RegistryLogin {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryLogin.class);
    private static final Duration TIMEOUT = SchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT;

    private RegistryLogin() {}

    /**
     * Returns when the registry takes the client's credentials or does not answer (logged).
     *
     * @throws IllegalStateException naming hub.registry.username and hub.registry.password when it answers 401 or 403
     */
    public static void check(SchemaRegistryClient registry) {
        final int status;
        try {
            status = registry.probe(TIMEOUT);
        } catch (SchemaRegistryException e) {
            LOG.warn(
                    "schema registry at {} does not answer at start; going on: {}", registry.baseUrl(), e.getMessage());
            return;
        }
        if (status == 401 || status == 403) {
            throw new IllegalStateException("Schema registry at " + registry.baseUrl()
                    + " refused the credentials (HTTP "
                    + status + "): check hub.registry.username (HUB_REGISTRY_USERNAME) and hub.registry.password"
                    + " (HUB_REGISTRY_PASSWORD)");
        }
    }
}
