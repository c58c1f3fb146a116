package com.integrationshub.query.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The return URL allow-list: scheme, host and port exact, the path by prefix on segment boundaries. */
class ReturnUrlAllowListTest {

    private static final ReturnUrlAllowList LIST =
            new ReturnUrlAllowList(List.of("https://app.example/settings", "http://localhost:3000/"));

    @Test
    void shouldAllowTheEntryAndWhatIsBelowIt() {
        for (String url : List.of(
                "https://app.example/settings",
                "https://app.example/settings/",
                "https://app.example/settings/integrations?tab=1#top",
                "https://APP.example:443/settings/x",
                "http://localhost:3000/",
                "http://localhost:3000/anything/at/all")) {
            assertEquals(Optional.empty(), LIST.refusal(url), url);
        }
    }

    @Test
    void shouldRefuseAPathThatOnlySharesTheEntrysCharacters() {
        assertTrue(LIST.refusal("https://app.example/settings-evil").isPresent());
        assertTrue(LIST.refusal("https://app.example/settingsx/a").isPresent());
        assertTrue(LIST.refusal("https://app.example/").isPresent());
    }

    @Test
    void shouldRefuseAnotherSchemeHostOrPort() {
        for (String url : List.of(
                "http://app.example/settings",
                "https://app.example.evil.test/settings",
                "https://evil.test/settings",
                "https://app.example:8443/settings",
                "https://localhost:3000/",
                "http://localhost:3001/",
                "http://localhost/")) {
            assertTrue(LIST.refusal(url).isPresent(), url);
        }
    }

    @Test
    void shouldRefuseWhatABrowserMightResolveElsewhere() {
        for (String url : List.of(
                "https://app.example/settings/../admin",
                "https://app.example/settings/%2e%2e/admin",
                "https://app.example/settings%2F..%2Fadmin",
                "https://app.example/settings/..",
                "https://user@app.example/settings",
                "https://app.example\\@evil.test/settings",
                "javascript:alert(1)",
                "//app.example/settings",
                "/settings",
                "data:text/html,hi",
                "https://app.example/settings/" + "a".repeat(3000))) {
            assertTrue(LIST.refusal(url).isPresent(), url);
        }
    }

    @Test
    void shouldRefuseEveryUrlWhenTheListIsEmpty() {
        var empty = new ReturnUrlAllowList(List.of());
        var refusal = empty.refusal("https://app.example/settings");
        assertTrue(refusal.isPresent());
        assertTrue(refusal.get().contains("hub.connect.return-urls"), refusal.get());
        assertTrue(new ReturnUrlAllowList(List.of(" "))
                .refusal("https://app.example/")
                .isPresent());
    }

    @Test
    void shouldNeverRepeatTheUrlInItsRefusal() {
        String url = "https://evil.test/<script>";
        assertFalse(LIST.refusal(url).orElseThrow().contains("evil"));
    }

    @Test
    void shouldRefuseAnEntryThatIsNoUrlPrefix() {
        for (String entry :
                List.of("app.example", "ftp://app.example/", "https://app.example/?q=1", "https://u@app.example/")) {
            assertThrows(IllegalArgumentException.class, () -> new ReturnUrlAllowList(List.of(entry)), entry);
        }
    }
}
