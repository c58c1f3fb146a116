package com.integrationshub.query.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.integrationshub.common.FieldError;
import com.integrationshub.query.json.JsonBody;
import com.integrationshub.query.problem.ProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rules of a connect-session request, without a broker. */
class SessionRequestTest {

    private static final ConnectSettings SETTINGS =
            new ConnectSettings(List.of("https://app.example/settings"), Duration.ofMinutes(30), Duration.ofHours(1));
    private static final ReturnUrlAllowList RETURN_URLS = new ReturnUrlAllowList(SETTINGS.returnUrls());

    @Test
    void shouldTakeTheDefaultLifetimeAndNoReturnUrlWhenLeftOut() {
        SessionRequest read = read("{\"integrations\": [\"HaloPSA\"]}");
        assertEquals(new SessionRequest(List.of("HaloPSA"), Duration.ofMinutes(30), Optional.empty()), read);
    }

    @Test
    void shouldTakeWhatTheRequestAsks() {
        SessionRequest read = read("""
                {"integrations": ["HaloPSA", "Jira"], "expires_in": 60,
                 "return_url": "https://app.example/settings/x"}""");
        assertEquals(
                new SessionRequest(
                        List.of("HaloPSA", "Jira"),
                        Duration.ofSeconds(60),
                        Optional.of("https://app.example/settings/x")),
                read);
    }

    @Test
    void shouldNameEachBadField() {
        assertEquals(List.of("integrations"), invalidFields("{}"));
        assertEquals(List.of("integrations"), invalidFields("{\"integrations\": []}"));
        assertEquals(List.of("integrations"), invalidFields("{\"integrations\": \"HaloPSA\"}"));
        String many = IntStream.range(0, 51).mapToObj(i -> "\"I" + i + "\"").collect(Collectors.joining(","));
        assertEquals(List.of("integrations"), invalidFields("{\"integrations\": [" + many + "]}"));
        assertEquals(
                List.of("integrations[1]", "integrations[2]", "integrations[3]"),
                invalidFields("{\"integrations\": [\"A\", \"bad name\", 7, \"A\"]}"));
        assertEquals(List.of("expires_in"), invalidFields("{\"integrations\": [\"A\"], \"expires_in\": 59}"));
        assertEquals(List.of("expires_in"), invalidFields("{\"integrations\": [\"A\"], \"expires_in\": 3601}"));
        assertEquals(List.of("expires_in"), invalidFields("{\"integrations\": [\"A\"], \"expires_in\": \"60\"}"));
        assertEquals(
                List.of("return_url"),
                invalidFields("{\"integrations\": [\"A\"], \"return_url\": \"https://evil.test/settings\"}"));
        assertEquals(List.of("return_url"), invalidFields("{\"integrations\": [\"A\"], \"return_url\": 1}"));
        assertEquals(List.of("extra"), invalidFields("{\"integrations\": [\"A\"], \"extra\": true}"));
    }

    @Test
    void shouldTakeFiftyIntegrations() {
        String fifty = IntStream.range(0, 50).mapToObj(i -> "\"I" + i + "\"").collect(Collectors.joining(","));
        assertEquals(
                50, read("{\"integrations\": [" + fifty + "]}").integrations().size());
    }

    private static SessionRequest read(String body) {
        JsonBody json = JsonBody.parse(body);
        SessionRequest read = SessionRequest.read(json, SETTINGS, RETURN_URLS);
        json.throwIfInvalid();
        return read;
    }

    private static List<String> invalidFields(String body) {
        ProblemException e = assertThrows(ProblemException.class, () -> read(body));
        assertEquals(422, e.status());
        return e.errors().stream().map(FieldError::getField).toList();
    }
}
