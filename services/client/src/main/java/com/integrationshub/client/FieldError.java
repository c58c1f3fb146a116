package com.integrationshub.client;

/**
 * One invalid field of a request, as a 422 problem lists it.
 *
 * @param field   the field, e.g. {@code config.timeout}
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {}
