package com.integrationshub.domain.oauth1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureBaseStringTest {

    /** RFC 5849 §3.4.1: the request, its Authorization header's parameters (realm included) and its body. */
    private static final String RFC_URL = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";

    private static final List<Parameter> RFC_OAUTH = List.of(
            new Parameter("realm", "Example"),
            new Parameter("oauth_consumer_key", "9djdj82h48djs9d2"),
            new Parameter("oauth_token", "kkk9d7dh3k39sjv7"),
            new Parameter("oauth_signature_method", "HMAC-SHA1"),
            new Parameter("oauth_timestamp", "137131201"),
            new Parameter("oauth_nonce", "7d8f3e4a"),
            new Parameter("oauth_signature", "bYT5CMsGcbgUdFHObYMEfcx6bsw="));

    @Test
    void shouldBuildTheBaseStringOfRfc5849Section341() {
        String base =
                SignatureBaseString.of("post", RFC_URL, SignatureBaseString.formParameters("c2&a3=2+q"), RFC_OAUTH);

        assertEquals(
                "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
                        + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
                        + "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
                        + "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
                        + "9d7dh3k39sjv7",
                base);
    }

    @Test
    void shouldNormalizeTheParametersAsRfc5849Section34132Shows() {
        List<Parameter> all = new ArrayList<>(SignatureBaseString.formParameters("b5=%3D%253D&a3=a&c%40=&a2=r%20b"));
        all.addAll(SignatureBaseString.formParameters("c2&a3=2+q"));
        all.addAll(RFC_OAUTH.subList(1, 6));

        assertEquals(
                "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj"
                        + "dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1"
                        + "&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7",
                SignatureBaseString.normalizedParameters(all));
    }

    @Test
    void shouldMakeTheBaseStringUriOfRfc5849Section3412() {
        assertEquals(
                "http://example.com/r%20v/X",
                SignatureBaseString.baseStringUri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123"));
        assertEquals(
                "https://www.example.net:8080/",
                SignatureBaseString.baseStringUri("https://www.example.net:8080/?q=1"));
    }

    @Test
    void shouldDropOnlyTheDefaultPortOfTheScheme() {
        assertEquals("https://example.com/", SignatureBaseString.baseStringUri("https://Example.com:443"));
        assertEquals("http://example.com:443/a", SignatureBaseString.baseStringUri("http://example.com:443/a"));
        assertEquals("https://example.com:80/a", SignatureBaseString.baseStringUri("https://example.com:80/a#frag"));
        assertEquals("http://127.0.0.1:41234/x/y", SignatureBaseString.baseStringUri("http://127.0.0.1:41234/x/y"));
    }

    @Test
    void shouldSortParametersByEncodedNameThenEncodedValue() {
        // by encoded value "%C3%A9" < "~" although 'é' > '~' decoded; repeated names keep every value
        assertEquals(
                "a=%C3%A9&a=~&a=~&b=1",
                SignatureBaseString.normalizedParameters(List.of(
                        new Parameter("b", "1"),
                        new Parameter("a", "~"),
                        new Parameter("a", "é"),
                        new Parameter("a", "~"))));
        assertEquals(
                "a=1&a%20b=2&a-b=3",
                SignatureBaseString.normalizedParameters(
                        List.of(new Parameter("a-b", "3"), new Parameter("a b", "2"), new Parameter("a", "1"))));
    }

    @Test
    void shouldReadPlusAndPercent20InTheQueryAsTheSameSpaceAndPercent2BAsAPlus() {
        String base =
                SignatureBaseString.of("GET", "https://api.example/s?q=a+b&r=a%20b&p=1%2B1", List.of(), List.of());

        assertEquals("GET&https%3A%2F%2Fapi.example%2Fs&p%3D1%252B1%26q%3Da%2520b%26r%3Da%2520b", base);
    }

    @Test
    void shouldEncodeNonAsciiParametersAsUtf8InTheBaseString() {
        String base = SignatureBaseString.of(
                "POST", "https://api.example/u", List.of(new Parameter("name", "Zoë 日本")), List.of());

        assertEquals("POST&https%3A%2F%2Fapi.example%2Fu&name%3DZo%25C3%25AB%2520%25E6%2597%25A5%25E6%259C%25AC", base);
    }

    @Test
    void shouldUseTheUtf8PercentEncodingOfANonAsciiPathAsItIsSent() {
        assertEquals(
                "https://api.example/caf%C3%A9/x%20y",
                SignatureBaseString.baseStringUri("https://api.example/café/x%20y"));
        assertEquals(
                SignatureBaseString.of("GET", "https://api.example/a?q=%E6%97%A5", List.of(), List.of()),
                SignatureBaseString.of("GET", "https://api.example/a?q=日", List.of(), List.of()));
    }

    @Test
    void shouldRefuseAUrlThatIsNotAbsoluteHttp() {
        for (String url : List.of("/relative?x=1", "ftp://example.com/a", "https://exa mple.com/", "mailto:a@b.c")) {
            SigningRefused refused = assertThrows(
                    SigningRefused.class, () -> SignatureBaseString.of("GET", url, List.of(), List.of()), url);
            assertEquals("url", refused.field());
        }
    }

    @Test
    void shouldRefuseAQueryThatIsNotValidPercentEncoding() {
        SigningRefused refused = assertThrows(
                SigningRefused.class,
                () -> SignatureBaseString.of("GET", "https://example.com/a?q=%E2%82", List.of(), List.of()));
        assertEquals("url", refused.field());
    }
}
