package com.integrationshub.runtime.registry;

import com.integrationshub.registry.SchemaRegistryClient;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The client of the Confluent-API schema registry at hub.registry.url. */
@Factory
public class RegistryFactory {

    /** One client, and so one cache of schema ids, per service. */
    @Singleton
    SchemaRegistryClient schemaRegistryClient(RegistrySettings settings) {
        return new SchemaRegistryClient(settings.url());
    }
}
