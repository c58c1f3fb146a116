package com.integrationshub.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

    private static final String SECRET = "a-development-secret-of-more-than-32-bytes";

    @Test
    void shouldSignHs256WithTheSecretBytes() {
        String[] parts =
                AdminToken.sign(SECRET, Instant.ofEpochSecond(1_700_000_000)).split("\\.");
        assertEquals(3, parts.length, "header.claims.signature");
        byte[] expected = AdminToken.hmacSha256(SECRET, parts[0] + "." + parts[1]);
        assertArrayEquals(expected, Base64.getUrlDecoder().decode(parts[2]));
        assertEquals(-1, parts[2].indexOf('='), "base64url without padding");
    }

    @Test
    void shouldCarryDevAdminClaimsValidForAWorkingDay() throws Exception {
        String[] parts =
                AdminToken.sign(SECRET, Instant.ofEpochSecond(1_700_000_000)).split("\\.");
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("HS256", header.get("alg").asText());
        assertEquals("dev-admin", claims.get("sub").asText());
        assertEquals(List.of("admin"), List.of(json.treeToValue(claims.get("roles"), String[].class)));
        assertEquals(1_700_000_000L, claims.get("iat").asLong());
        assertEquals(
                1_700_000_000L + 12L * 3600, claims.get("exp").asLong(), "12 h, within the services' 24 h maximum");
    }
}
