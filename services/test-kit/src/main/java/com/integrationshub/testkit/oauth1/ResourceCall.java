package com.integrationshub.testkit.oauth1;

import java.util.List;
import java.util.Map;

/**
 * A protected resource call whose signature verified: method, path, the decoded query and form parameters (a list
 * per name, in order) and the access token it used.
 */
public record ResourceCall(
        String method, String path, Map<String, List<String>> query, Map<String, List<String>> form, String token) {}
