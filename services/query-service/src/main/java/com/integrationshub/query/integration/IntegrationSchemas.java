package com.integrationshub.query.integration;

import com.integrationshub.domain.config.ConfigSchema;
import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.query.route.StateReader;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.state.IntegrationState;
import jakarta.inject.Singleton;
import reactor.core.publisher.Mono;

/**
 * The current config schema of an integration, wherever its views live: a write needs it to know which values to
 * seal before they leave this instance.
 */
@Singleton
public class IntegrationSchemas {

    private final StateReader state;

    public IntegrationSchemas(StateReader state) {
        this.state = state;
    }

    /** The integration's schema; a 404 problem when it does not exist. */
    public Mono<ConfigSchema> of(String name) {
        return state.<IntegrationState>get(StoreNames.INTEGRATIONS, name, name)
                .map(found -> new ConfigSchema(
                        found.orElseThrow(() -> ProblemException.notFound("integration '" + name + "' does not exist"))
                                .getConfigSchema()));
    }
}
