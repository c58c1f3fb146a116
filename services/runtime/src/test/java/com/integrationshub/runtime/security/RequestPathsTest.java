package com.integrationshub.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the access filters read raw paths. */
class RequestPathsTest {

    @Test
    void shouldDecodeASegmentAsAControllerReadsIt() {
        assertEquals(Optional.of("org-b"), RequestPaths.decode("%6Frg-b"));
        assertEquals(Optional.of("a+b"), RequestPaths.decode("a+b"), "a '+' in a path is no space");
        assertEquals(Optional.empty(), RequestPaths.decode("%zz"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/health/../beans",
                "/health/%2E%2E/beans",
                "/health/%2e/x",
                "/v1/orgs/org-a%2F..%2Forg-b",
                "/v1/orgs/a%5Cb",
                "/v1/orgs/%zz/x",
                "/v1/orgs/./x"
            })
    void shouldFindPathsThatCouldNameAnotherResource(String path) {
        assertTrue(RequestPaths.ambiguous(path), path);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/health",
                "/health/liveness",
                "/v1/orgs/org-a/integrations/Halo.PSA",
                "/v1/orgs/%6Frg-b/x",
                "/v1/integrations/a..b"
            })
    void shouldLeavePlainPathsAlone(String path) {
        assertFalse(RequestPaths.ambiguous(path), path);
    }
}
