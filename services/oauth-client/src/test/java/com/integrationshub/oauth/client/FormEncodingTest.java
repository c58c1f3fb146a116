package com.integrationshub.oauth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormEncodingTest {

    @Test
    void shouldFormUrlEncodeIdAndSecretBeforeBasic() {
        final String header = FormEncoding.basicAuthorization("my client:1", "s3cr:t+/ é&");
        final String pair =
                new String(Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8);
        assertEquals("my+client%3A1:s3cr%3At%2B%2F+%C3%A9%26", pair);
    }

    @Test
    void shouldSendAnEmptySecretForAPublicClient() {
        final String header = FormEncoding.basicAuthorization("app", null);
        assertEquals("app:", new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8));
    }

    @Test
    void shouldEncodeAFormAsAppendixB() {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", "read write:all");
        form.put("x", "a&b=c");
        assertEquals("grant_type=client_credentials&scope=read+write%3Aall&x=a%26b%3Dc", FormEncoding.encode(form));
    }

    @Test
    void shouldSplitAndJoinScopes() {
        assertEquals(List.of("read", "write"), Scopes.split(" read  write "));
        assertEquals(List.of(), Scopes.split(""));
        assertEquals(List.of(), Scopes.split(null));
        assertEquals("read write", Scopes.join(List.of("read", "write")));
    }
}
