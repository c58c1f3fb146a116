package com.integrationshub.query.eventstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.events.CredentialsSet;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.query.json.EventJson;
import com.integrationshub.query.json.JsonBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamMessageTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final byte[] CIPHERTEXT = "ciphertext-bytes-of-the-key".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldRenderTheHistoryEntryPlusItsSubjectWithSecretsMasked() throws Exception {
        CredentialsSet event = CredentialsSet.newBuilder()
                .setEventId("e-1")
                .setAggregateId("integration/Keys/credentials/org-1")
                .setVersion(3L)
                .setOccurredAt(AT)
                .setCausationId("c-1")
                .setConnectionId("conn-1")
                .setIntegrationName("Keys")
                .setOrgId("org-1")
                .setAuthScheme(AuthScheme.BASIC)
                .setValues(Map.of("username", "alice", "password", sealed()))
                .build();

        String line = StreamMessage.render(event);
        JsonNode json = JsonBody.mapper().readTree(line);

        assertFalse(line.contains("\n"), "one line of JSON: " + line);
        JsonNode history = JsonBody.mapper().readTree(EventJson.entry(event).toString());
        history.fieldNames().forEachRemaining(f -> assertEquals(history.get(f), json.get(f), "the history's " + f));
        assertEquals("CredentialsSet", json.path("type").asText());
        assertEquals("***", json.path("data").path("values").path("password").asText(), line);
        assertEquals("alice", json.path("data").path("values").path("username").asText(), line);
        assertEquals("Keys", json.path("integration_name").asText(), line);
        assertEquals("org-1", json.path("org_id").asText(), line);
        assertTrue(json.path("connection_name").isNull(), line);
        assertEquals(
                "integration/Keys/credentials/org-1", json.path("aggregate_id").asText(), line);
        assertNoSealedValue(line);
    }

    @Test
    void shouldMaskEverySecretOfAnIssuedToken() {
        TokenIssued event = TokenIssued.newBuilder()
                .setEventId("e-2")
                .setAggregateId("oauth-token/graph/org-2")
                .setVersion(1L)
                .setOccurredAt(AT)
                .setCausationId("c-2")
                .setTokenId("graph/org-2")
                .setConnectionName("graph")
                .setIntegrationName(null)
                .setOrgId("org-2")
                .setAccessToken(sealed())
                .setRefreshToken(sealed())
                .setTokenSecret(sealed())
                .setScopes(List.of("read"))
                .setIssuedAt(AT)
                .build();

        String line = StreamMessage.render(event);

        assertTrue(line.contains("\"access_token\":\"***\""), line);
        assertTrue(line.contains("\"refresh_token\":\"***\""), line);
        assertTrue(line.contains("\"token_secret\":\"***\""), line);
        assertTrue(line.contains("\"connection_name\":\"graph\""), line);
        assertNoSealedValue(line);
    }

    @Test
    void shouldNameTheIntegrationOfAnIntegrationEventFromItsAggregate() throws Exception {
        IntegrationCreated event = IntegrationCreated.newBuilder()
                .setEventId("e-3")
                .setAggregateId("integration/HaloPSA")
                .setVersion(1L)
                .setOccurredAt(AT)
                .setCausationId("c-3")
                .setConfigSchema(List.of())
                .setName("HaloPSA")
                .setAuthScheme(AuthScheme.NO_AUTH)
                .setCreatedAt(AT)
                .build();

        JsonNode json = JsonBody.mapper().readTree(StreamMessage.render(event));

        assertEquals("HaloPSA", json.path("integration_name").asText());
        assertTrue(json.path("org_id").isNull());
    }

    @Test
    void shouldCarryThePositionAfterTheEvent() {
        ResumePosition after = new ResumePosition(Map.of(0, 5L, 1, 2L));
        StreamMessage message = StreamMessage.event(after, integrationCreated());

        assertEquals(Optional.of("IntegrationCreated"), message.type());
        assertEquals(after, message.position());
        assertEquals(Optional.empty(), StreamMessage.heartbeat(after).type());
    }

    private static IntegrationCreated integrationCreated() {
        return IntegrationCreated.newBuilder()
                .setEventId("e-4")
                .setAggregateId("integration/A")
                .setVersion(1L)
                .setOccurredAt(AT)
                .setCausationId("c-4")
                .setConfigSchema(List.of())
                .setName("A")
                .setAuthScheme(AuthScheme.NO_AUTH)
                .setCreatedAt(AT)
                .build();
    }

    private static SealedSecret sealed() {
        return SealedSecret.newBuilder()
                .setKeyId(424242L)
                .setCiphertext(ByteBuffer.wrap(CIPHERTEXT))
                .build();
    }

    private static void assertNoSealedValue(String line) {
        assertFalse(line.contains("ciphertext"), line);
        assertFalse(line.contains("key_id"), line);
        assertFalse(line.contains("424242"), line);
        assertFalse(line.contains(Base64.getEncoder().encodeToString(CIPHERTEXT)), line);
        assertFalse(line.contains("ciphertext-bytes"), line);
    }
}
