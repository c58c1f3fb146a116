package com.integrationshub.query.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.util.AntPathMatcher;
import io.micronaut.core.util.RegexPathMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filters' regular expressions match every path their earlier Ant patterns matched, with Micronaut's own
 * matchers (the ones its router uses for each pattern style), and nothing of the API they must not.
 */
class FilterPathsTest {

    private static final List<String> NO_STORE_ANT = List.of(
            "/v1/orgs/*/integrations",
            "/v1/orgs/*/integrations/*",
            "/v1/orgs/*/integrations/*/credentials",
            "/v1/orgs/*/integrations/*/connect",
            "/v1/orgs/*/integrations/*/sign",
            "/v1/integrations/*/global",
            "/v1/oauth/connections/*/connect",
            "/v1/oauth/callback",
            "/v1/orgs/*/connect-sessions",
            "/internal/**");

    private static final List<String> PAGES_ANT =
            List.of("/console", "/console/**", "/connect/**", "/connect-assets/**", "/v1/oauth/callback");

    /** Paths of the API and near misses: segments with odd characters, line breaks, trailing slashes, depth. */
    private static final List<String> PATHS = List.of(
            "/v1/orgs/org-1/integrations",
            "/v1/orgs/org-1/integrations/halo",
            "/v1/orgs/org 1\n/integrations/halo\r\n",
            "/v1/orgs/org-1/integrations/halo/credentials",
            "/v1/orgs/org-1/integrations/halo/connect",
            "/v1/orgs/org-1/integrations/halo/sign",
            "/v1/orgs/org-1/integrations/halo/other",
            "/v1/orgs/org-1/integrations/halo/credentials/x",
            "/v1/orgs/org-1/connect-sessions",
            "/v1/orgs/org-1",
            "/v1/integrations",
            "/v1/integrations/halo",
            "/v1/integrations/halo/global",
            "/v1/integrations/halo/defaults",
            "/v1/integrations/halo/mappings/org-1",
            "/v1/oauth/connections/graph/connect",
            "/v1/oauth/connections/graph",
            "/v1/oauth/callback",
            "/internal",
            "/internal/views/mappings",
            "/internal/views/x\n/y",
            "/internalx",
            "/console",
            "/console/",
            "/console/app.js",
            "/consoles",
            "/connect",
            "/connect/abc",
            "/connect-assets/connect.css",
            "/connectx",
            "/health",
            "/prometheus",
            "/docs/index.html",
            "/");

    private final AntPathMatcher ant = new AntPathMatcher();
    private final RegexPathMatcher regex = new RegexPathMatcher();

    @Test
    void noStoreCoversEveryPathItsAntPatternsDid() {
        assertCoversWhatAntMatched(NO_STORE_ANT, NoStoreFilter.PATHS);
        assertMatches(
                NoStoreFilter.PATHS,
                List.of(
                        "/v1/orgs/org 1\n/integrations/halo\r\n",
                        "/internal/views/x\n/y",
                        "/v1/orgs/org-1/integrations/"));
    }

    @Test
    void noStoreLeavesOtherRoutesCacheable() {
        assertMatchesNone(
                NoStoreFilter.PATHS,
                List.of(
                        "/v1/integrations",
                        "/v1/integrations/halo",
                        "/v1/integrations/halo/defaults",
                        "/v1/integrations/halo/mappings/org-1",
                        "/health",
                        "/docs/index.html",
                        "/internalx",
                        "/console/app.js"));
    }

    @Test
    void pageHeadersCoverEveryPathTheirAntPatternsDid() {
        assertCoversWhatAntMatched(PAGES_ANT, PageHeadersFilter.PATHS);
        assertMatches(PageHeadersFilter.PATHS, List.of("/console", "/connect/abc", "/connect-assets/connect.css"));
        assertMatchesNone(
                PageHeadersFilter.PATHS, List.of("/consoles", "/connectx", "/v1/integrations", "/health", "/"));
    }

    /** Every path of {@link #PATHS} one of the Ant patterns matched, the regular expression matches too. */
    private void assertCoversWhatAntMatched(List<String> antPatterns, String expression) {
        assertMatches(
                expression,
                PATHS.stream().filter(path -> anyAnt(antPatterns, path)).toList());
    }

    private void assertMatches(String expression, List<String> paths) {
        for (String path : paths) assertTrue(regex.matches(expression, path), path);
    }

    private void assertMatchesNone(String expression, List<String> paths) {
        for (String path : paths) assertFalse(regex.matches(expression, path), path);
    }

    private boolean anyAnt(List<String> patterns, String path) {
        return patterns.stream().anyMatch(p -> ant.matches(p, path));
    }
}
