package com.integrationshub.runtime.registry;

import com.integrationshub.registry.SchemaRegistryClient;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The client of the Confluent-API schema registry at hub.registry.url, with its credentials and TLS settings. */
@Factory
public class RegistryFactory {

    /** One client, and so one cache of schema ids, per service. */
    @Singleton
    SchemaRegistryClient schemaRegistryClient(RegistrySettings settings) {
        SchemaRegistryClient.BasicAuth auth = settings.hasCredentials()
                ? new SchemaRegistryClient.BasicAuth(settings.username(), settings.password())
                : null;
        return new SchemaRegistryClient(
                settings.url(),
                SchemaRegistryClient.DEFAULT_CONNECT_TIMEOUT,
                SchemaRegistryClient.DEFAULT_REQUEST_TIMEOUT,
                auth,
                RegistryTls.context(settings.ssl()));
    }
}
