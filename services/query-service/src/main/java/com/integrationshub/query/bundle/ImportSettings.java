package com.integrationshub.query.bundle;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Budgets of an import (hub.import.* in application.yml). A bundle is many API bodies in one, so it has its own
 * budget; each item within it keeps the budgets of one body (hub.limits.*).
 *
 * @param maxBytes the largest bundle, in bytes (UTF-8); over it 413. At most micronaut.server.max-request-size,
 *     which bounds what the server reads at all
 * @param maxItems the most items of a bundle, all lists together; over it 422
 */
@ConfigurationProperties("hub.import")
public record ImportSettings(
        @Bindable(defaultValue = "1048576") int maxBytes,
        @Bindable(defaultValue = "10000") int maxItems) {}
