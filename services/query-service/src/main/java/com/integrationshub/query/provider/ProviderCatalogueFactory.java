package com.integrationshub.query.provider;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The provider catalogue, read once at start-up from the built-in providers.yml; a malformed file stops start-up. */
@Factory
public class ProviderCatalogueFactory {

    /** The built-in catalogue. */
    @Singleton
    public ProviderCatalogue providerCatalogue() {
        return ProviderCatalogue.builtIn();
    }
}
