package com.integrationshub.client;

/**
 * What an upsert did.
 *
 * @param mapping the mapping as stored after the write
 * @param created true when the write made a new mapping (201), false when it changed an existing one (200)
 */
public record UpsertResult(IntegrationMapping mapping, boolean created) {}
