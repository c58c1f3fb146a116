package com.integrationshub.runtime.registry;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the schema registry is and how to log in to it (hub.registry.* in application.yml). A managed registry
 * (Confluent Cloud, Aiven Karapace, Redpanda Cloud) takes HTTP basic auth over https; the toString never shows the
 * password.
 *
 * @param url      the registry's base URL, e.g. {@code http://127.0.0.1:8081}; required (HUB_REGISTRY_URL)
 * @param username the basic auth user or API key; empty (default): no credentials are sent (HUB_REGISTRY_USERNAME)
 * @param password its password or API secret (HUB_REGISTRY_PASSWORD); never logged
 * @param ssl      trust and key material for an https registry; empty: the JVM's trusted CAs
 */
@ConfigurationProperties("hub.registry")
public record RegistrySettings(
        String url,
        @Bindable(defaultValue = "") String username,
        @Bindable(defaultValue = "") String password,
        Ssl ssl) {

    /**
     * TLS settings of the registry client (hub.registry.ssl.*); every one defaults to empty: not set.
     *
     * @param truststoreLocation path of a trust store of the CAs to trust instead of the JVM's
     *                           (HUB_REGISTRY_SSL_TRUSTSTORE_LOCATION)
     * @param truststorePassword its password (HUB_REGISTRY_SSL_TRUSTSTORE_PASSWORD); none for PEM
     * @param truststoreType     PKCS12, JKS or PEM (a file of certificates) (HUB_REGISTRY_SSL_TRUSTSTORE_TYPE); empty:
     *                           PKCS12
     * @param keystoreLocation   path of a key store holding a client certificate, for mutual TLS
     *                           (HUB_REGISTRY_SSL_KEYSTORE_LOCATION)
     * @param keystorePassword   its password, also the key's (HUB_REGISTRY_SSL_KEYSTORE_PASSWORD)
     * @param keystoreType       PKCS12 or JKS (HUB_REGISTRY_SSL_KEYSTORE_TYPE); empty: PKCS12
     */
    @ConfigurationProperties("ssl")
    public record Ssl(
            @Bindable(defaultValue = "") String truststoreLocation,
            @Bindable(defaultValue = "") String truststorePassword,
            @Bindable(defaultValue = "") String truststoreType,
            @Bindable(defaultValue = "") String keystoreLocation,
            @Bindable(defaultValue = "") String keystorePassword,
            @Bindable(defaultValue = "") String keystoreType) {

        @Override
        public String toString() {
            return "Ssl[truststoreLocation=" + truststoreLocation + ", truststoreType=" + truststoreType
                    + ", keystoreLocation=" + keystoreLocation + ", keystoreType=" + keystoreType
                    + ", passwords=(hidden)]";
        }
    }

    /** Whether basic auth credentials are set. */
    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistrySettings[url=" + url + ", username=" + username + ", password="
                + (password == null || password.isEmpty() ? "" : "(hidden)") + ", ssl=" + ssl + "]";
    }
}
