package com.integrationshub.query.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.oauth.client.EntityIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped catalogue (providers.yml): every entry well formed; and a malformed file refused, naming the entry. */
class ProviderCatalogueTest {

    private static final ProviderCatalogue CATALOGUE = ProviderCatalogue.builtIn();

    /** The providers whose URLs differ per customer (tenant, domain, subdomain, instance): only these hold it. */
    private static final Set<String> PER_CUSTOMER =
            Set.of("microsoft", "gitlab_self_managed", "okta", "auth0", "zendesk", "servicenow", "halopsa", "shopify");

    /** Authorize parameters the hub sets itself; an entry's extra parameters must not replace them. */
    private static final Set<String> HUB_AUTHORIZE_PARAMS = Set.of(
            "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method");

    @Test
    void shouldListAtLeastFortyProvidersIncludingTheWidelyUsedOnes() {
        assertTrue(
                CATALOGUE.all().size() >= 40,
                "expected at least 40 entries, got " + CATALOGUE.all().size());
        List<String> missing = new ArrayList<>();
        for (String id : List.of(
                "microsoft",
                "google",
                "github",
                "gitlab",
                "atlassian",
                "salesforce",
                "hubspot",
                "slack",
                "zoom",
                "xero",
                "quickbooks",
                "dropbox",
                "box",
                "okta",
                "auth0",
                "zendesk",
                "servicenow",
                "halopsa",
                "shopify",
                "stripe",
                "notion",
                "asana",
                "linear",
                "intercom",
                "docusign",
                "pipedrive",
                "calendly",
                "twitter",
                "linkedin")) {
            if (CATALOGUE.find(id).isEmpty()) missing.add(id);
        }
        assertEquals(List.of(), missing, "providers missing from the catalogue");
    }

    @Test
    void shouldHaveUniqueIds() {
        Set<String> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        CATALOGUE.all().forEach(p -> {
            if (!seen.add(p.provider())) repeated.add(p.provider());
        });
        assertEquals(List.of(), repeated, "ids listed more than once");
    }

    @Test
    void shouldHaveHttpsUrlsThatStayValidOnceTheEntityIdIsFilled() {
        List<String> wrong = new ArrayList<>();
        for (Provider p : CATALOGUE.all()) {
            checkUrl(p, "token_url", p.tokenUrl(), wrong);
            p.authorization().ifPresent(url -> checkUrl(p, "authorization_url", url, wrong));
            checkUrl(p, "docs_url", p.docsUrl(), wrong);
            if (p.docsUrl().contains(EntityIds.PLACEHOLDER)) wrong.add(p.provider() + ": docs_url has {entity_id}");
        }
        assertEquals(List.of(), wrong, "entries with a URL that is not a usable https URL");
    }

    @Test
    void shouldHoldTheEntityIdOnlyWhereTheProviderNeedsATenantDomainOrInstance() {
        Set<String> withPlaceholder = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (Provider p : CATALOGUE.all()) {
            boolean holds = EntityIds.needsEntity(p.tokenUrl())
                    || p.authorization().map(EntityIds::needsEntity).orElse(false);
            if (holds) withPlaceholder.add(p.provider());
            if (holds != (p.entityIdName() != null)) {
                wrong.add(p.provider() + ": {entity_id} in its URLs " + (holds ? "without" : "but no")
                        + " entity_id_name saying what it stands for");
            }
            // A connection fills one entity id into both URLs: an entry has it in both or in neither.
            if (p.authorization().isPresent()
                    && EntityIds.needsEntity(p.tokenUrl()) != EntityIds.needsEntity(p.authorizationUrl())) {
                wrong.add(p.provider() + ": {entity_id} in one of its URLs only");
            }
        }
        assertEquals(List.of(), wrong, "entries whose {entity_id} and entity_id_name disagree");
        assertEquals(new TreeSet<>(PER_CUSTOMER), withPlaceholder, "the providers whose URLs hold {entity_id}");
    }

    @Test
    void shouldNameKnownGrantTypesAndAnAuthorizationUrlExactlyWithTheAuthorizationCodeGrant() {
        List<String> wrong = new ArrayList<>();
        for (Provider p : CATALOGUE.all()) {
            if (p.grantTypes().isEmpty()) wrong.add(p.provider() + ": no grant type");
            if (new HashSet<>(p.grantTypes()).size() != p.grantTypes().size()) wrong.add(p.provider() + ": repeated");
            for (String grant : p.grantTypes()) {
                if (!Provider.GRANT_TYPES.contains(grant)) wrong.add(p.provider() + ": grant type " + grant);
            }
            if (p.grantTypes().contains("authorization_code")
                    != p.authorization().isPresent()) {
                wrong.add(p.provider() + ": authorization_url must be there exactly with authorization_code");
            }
        }
        assertEquals(List.of(), wrong, "entries with wrong grant types");
    }

    @Test
    void shouldDescribeTokenAuthRotationScopesAndDocsOfEveryEntry() {
        List<String> wrong = new ArrayList<>();
        for (Provider p : CATALOGUE.all()) {
            if (!p.provider().matches("[a-z0-9_-]{1,64}")) wrong.add(p.provider() + ": id");
            if (p.displayName().isBlank()) wrong.add(p.provider() + ": display_name");
            if (!Provider.TOKEN_AUTH_METHODS.contains(p.tokenAuthMethod())) wrong.add(p.provider() + ": auth method");
            if (!Provider.ROTATIONS.contains(p.refreshTokenRotation())) wrong.add(p.provider() + ": rotation");
            if (!Set.of(" ", ",").contains(p.scopeSeparator())) wrong.add(p.provider() + ": scope_separator");
            for (String scope : p.scopes()) {
                if (scope.isBlank() || scope.contains(" ") || scope.contains(p.scopeSeparator())) {
                    wrong.add(p.provider() + ": scope '" + scope + "'");
                }
            }
            for (String param : p.extraAuthorizeParams().keySet()) {
                if (HUB_AUTHORIZE_PARAMS.contains(param)) wrong.add(p.provider() + ": replaces the hub's " + param);
            }
            if (p.notes() != null && p.notes().isBlank()) wrong.add(p.provider() + ": blank notes");
        }
        assertEquals(List.of(), wrong, "entries with a wrong member");
    }

    @Test
    void shouldAskGoogleForAnOfflineRefreshTokenAndSplitSlackScopesByComma() {
        Provider google = CATALOGUE.find("google").orElseThrow();
        assertEquals("offline", google.extraAuthorizeParams().get("access_type"), "Google's access_type");
        assertEquals("consent", google.extraAuthorizeParams().get("prompt"), "Google's prompt");
        assertEquals(",", CATALOGUE.find("slack").orElseThrow().scopeSeparator(), "Slack's scope separator");
        Provider microsoft = CATALOGUE.find("microsoft").orElseThrow();
        assertEquals(
                "https://login.microsoftonline.com/{entity_id}/oauth2/v2.0/token",
                microsoft.tokenUrl(),
                "Microsoft's token URL (API.md's example)");
        assertTrue(microsoft.scopes().contains("offline_access"), "Microsoft's default scopes: " + microsoft.scopes());
    }

    @Test
    void shouldRefuseAMalformedEntryNamingTheEntryAndTheMember() {
        String valid = """
                - provider: one
                  display_name: One
                  grant_types: [authorization_code]
                  authorization_url: https://one.example/authorize
                  token_url: https://one.example/token
                  pkce: true
                  token_auth_method: client_secret_post
                  refresh_token_rotation: none
                  docs_url: https://one.example/docs
                """;
        assertEquals(1, read(valid).all().size(), "a valid entry is read");
        assertRefused(valid.replace("  token_url: https://one.example/token\n", ""), "entry 1 (one): token_url");
        assertRefused(valid.replace("rotation: none", "rotation: sometimes"), "refresh_token_rotation");
        assertRefused(valid.replace("[authorization_code]", "[password]"), "grant_types");
        assertRefused(valid + "  scope: [a]\n", "scope is not a member");
        assertRefused(valid.replace("  authorization_url: https://one.example/authorize\n", ""), "authorization_url");
        assertRefused(valid + valid.replace("display_name: One", "display_name: Again"), "'one' is listed twice");
        assertRefused(valid.replace("provider: one", "provider: \"../one\""), "provider must match");
        assertRefused("provider: one\n", "must be a YAML list");
    }

    private static void checkUrl(Provider p, String member, String url, List<String> wrong) {
        String filled = EntityIds.fill(url, "acme.example");
        URI uri;
        try {
            uri = new URI(filled);
        } catch (URISyntaxException e) {
            wrong.add(p.provider() + ": " + member + " does not parse: " + url);
            return;
        }
        if (!"https".equals(uri.getScheme())) wrong.add(p.provider() + ": " + member + " is not https: " + url);
        if (uri.getHost() == null || !uri.getHost().contains(".")) {
            wrong.add(p.provider() + ": " + member + " has no host name: " + url);
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null && !member.equals("docs_url")) {
            wrong.add(p.provider() + ": " + member + " has user info or a fragment: " + url);
        }
        int query = url.indexOf('?');
        if (query >= 0 && url.indexOf(EntityIds.PLACEHOLDER, query) >= 0) {
            wrong.add(p.provider() + ": " + member + " has {entity_id} in its query: " + url);
        }
    }

    private static ProviderCatalogue read(String yaml) {
        try {
            return ProviderCatalogue.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(String yaml, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml), expected);
        assertTrue(e.getMessage().contains(expected), () -> "expected a message with '" + expected + "', got: " + e);
        assertFalse(e.getMessage().isBlank(), "a message");
    }
}
