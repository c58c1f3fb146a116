package com.integrationshub.domain.oauth1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderAnswersTest {

    @Test
    void shouldReadTheTemporaryCredentialsOfRfc5849Section12() {
        Optional<OAuth1Token> token = ProviderAnswers.temporaryCredentials(
                "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true");

        assertEquals(Optional.of(new OAuth1Token("hh5s93j4hdidpola", "hdhd0244k9j7ao03")), token);
    }

    @Test
    void shouldNotTrustTemporaryCredentialsWithoutCallbackConfirmed() {
        assertTrue(ProviderAnswers.temporaryCredentials("oauth_token=a&oauth_token_secret=b")
                .isEmpty());
        assertTrue(ProviderAnswers.temporaryCredentials(
                        "oauth_token=a&oauth_token_secret=b&oauth_callback_confirmed=false")
                .isEmpty());
    }

    @Test
    void shouldReadTokenCredentialsWithEncodedSecretsAndExtraFields() {
        Optional<OAuth1Token> token = ProviderAnswers.tokenCredentials(
                "oauth_token=nnch734d00sl2jdk&oauth_token_secret=pf%2Bk%26s&user_id=42\n");

        assertEquals(Optional.of(new OAuth1Token("nnch734d00sl2jdk", "pf+k&s")), token);
        assertTrue(ProviderAnswers.tokenCredentials("oauth_token=x").isEmpty());
        assertTrue(ProviderAnswers.tokenCredentials("<html>error</html>").isEmpty());
        assertTrue(ProviderAnswers.tokenCredentials("oauth_token=%zz&oauth_token_secret=s")
                .isEmpty());
    }

    @Test
    void shouldTellWhichProblemsNeedTheUserAgain() {
        assertEquals(Optional.of("token_rejected"), ProviderAnswers.problem("oauth_problem=token_rejected"));
        assertTrue(ProviderAnswers.needsReauthorization("token_rejected"));
        assertTrue(ProviderAnswers.needsReauthorization("permission_unknown"));
        assertFalse(ProviderAnswers.needsReauthorization("nonce_used"));
        assertFalse(ProviderAnswers.needsReauthorization("signature_invalid"));
        assertTrue(ProviderAnswers.problem("{\"errors\":[]}").isEmpty());
    }

    @Test
    void shouldAddTheTemporaryTokenToTheAuthorizeUrlsOwnQuery() {
        assertEquals(
                "https://photos.example.net/authorize?oauth_token=hh5s93j4hdidpola",
                ProviderAnswers.authorizeUrl("https://photos.example.net/authorize", "hh5s93j4hdidpola"));
        assertEquals(
                "https://trello.com/1/OAuthAuthorizeToken?name=Hub&oauth_token=a%2Bb",
                ProviderAnswers.authorizeUrl("https://trello.com/1/OAuthAuthorizeToken?name=Hub", "a+b"));
    }
}
