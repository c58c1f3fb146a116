package com.integrationshub.runtime.registry;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where the schema registry is (hub.registry.* in application.yml).
 *
 * @param url the registry's base URL, e.g. {@code http://127.0.0.1:8081}; required
 */
@ConfigurationProperties("hub.registry")
public record RegistrySettings(String url) {}
