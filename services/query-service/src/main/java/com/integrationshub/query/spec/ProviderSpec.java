package com.integrationshub.query.spec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A provider's OpenAPI document that parsed and validated: the document as uploaded (YAML turned into JSON), its
 * title, its number of path + method pairs, and the SHA-256 (hex) of its JSON bytes.
 */
public record ProviderSpec(JsonNode document, byte[] json, String title, int operations, String digest) {}
