package com.integrationshub.domain;

import static com.integrationshub.domain.Fixtures.T0;
import static com.integrationshub.domain.Fixtures.T1;
import static com.integrationshub.domain.Fixtures.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.JsonText;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.domain.token.TokenStatus;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The log written before OAuth 1.0a (the schemas as they were, in {@code schemas-before-oauth1}) still reads with
 * today's classes (BACKWARD, as the registry checks) and folds through today's deciders to the states it said.
 */
class OldSchemaLogReplayTest {

    /** The old common types in dependency order (as the schemas module imports them), then every other file. */
    private static final List<String> COMMON_FIRST = List.of(
            "SealedSecret",
            "JsonText",
            "ConfigFieldType",
            "ConfigField",
            "AuthScheme",
            "GrantType",
            "ClientAuthMethod",
            "RefreshTokenRotation",
            "FieldError",
            "Problem");

    private static final List<String> FOLDERS = List.of("commands", "events", "replies", "state");

    /** Every named type of the old schemas, by full name. */
    private static final Map<String, Schema> BEFORE = new TreeMap<>();

    private static final Instant EXPIRES_1 = T1.plusSeconds(3600);
    private static final Instant EXPIRES_2 = T2.plusSeconds(3600);

    @BeforeAll
    static void parseTheOldSchemas() throws IOException, URISyntaxException {
        Path root = Path.of(OldSchemaLogReplayTest.class
                .getResource("/schemas-before-oauth1")
                .toURI());
        Schema.Parser parser = new Schema.Parser();
        List<Path> files = new ArrayList<>();
        for (String name : COMMON_FIRST) files.add(root.resolve("common").resolve(name + ".avsc"));
        try (Stream<Path> common = Files.list(root.resolve("common"))) {
            List<Path> rest = common.filter(p -> !files.contains(p)).sorted().toList();
            assertEquals(List.of(), rest, "an old common type missing from the dependency order");
        }
        for (String folder : FOLDERS) {
            try (Stream<Path> inFolder = Files.list(root.resolve(folder))) {
                inFolder.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
            }
        }
        for (Path file : files) parser.parse(file.toFile());
        BEFORE.putAll(parser.getTypes());
    }

    @Test
    void shouldReadEveryOldRecordAndEnumWithTodaysSchema() throws ReflectiveOperationException {
        Map<String, String> incompatible = new TreeMap<>();
        int checked = 0;
        for (Schema before : BEFORE.values()) {
            checked++;
            Schema today;
            try {
                today = todaysSchema(before.getFullName());
            } catch (ClassNotFoundException gone) {
                // Every old type must still exist: a consumer of today meets it in the log.
                incompatible.put(before.getFullName(), "no such type today");
                continue;
            }
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(today, before);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                incompatible.put(
                        before.getFullName(),
                        result.getResult().getIncompatibilities().toString());
            }
        }

        assertEquals(Map.of(), incompatible, "today's schema cannot read what the old one wrote");
        assertEquals(57, checked, "every old type (one a file) was checked");
    }

    @Test
    void shouldFoldAnOAuth2LogWrittenByTheOldSchemasToTheStatesItSays() {
        List<SpecificRecord> log = replay(oldLog());

        Optional<IntegrationState> halo = fold(
                log,
                about("name", "HaloPSA").or(about("aggregate_id", "integration/HaloPSA")),
                IntegrationDecider::evolve);
        assertEquals(AuthScheme.OAUTH2, halo.orElseThrow().getAuthScheme());
        assertEquals("halo-oauth", halo.get().getOauthConnection());
        assertEquals("base_url", halo.get().getProxyBaseUrlKey());
        assertEquals(Map.of("X-Tenant", "{entity_id}"), halo.get().getCredentialHeaders());
        assertEquals(
                List.of(
                        Fixtures.required("base_url", ConfigFieldType.STRING),
                        Fixtures.optional("api_key", ConfigFieldType.SECRET)),
                halo.get().getConfigSchema());
        assertEquals(Map.of("base_url", "https://halo.example"), halo.get().getDefaults());
        assertEquals(2, halo.get().getVersion());
        assertEquals(T0, halo.get().getCreatedAt());

        Optional<ConnectionState> connection =
                fold(log, about("connection_name", "halo-oauth"), ConnectionDecider::evolve);
        ConnectionState c = connection.orElseThrow();
        assertEquals(GrantType.AUTHORIZATION_CODE, c.getGrantType());
        assertEquals("cid", c.getClientId());
        assertEquals(sealed("client-secret"), c.getClientSecret());
        assertEquals("https://halo.example/auth/authorize", c.getAuthorizationUrl());
        assertEquals("https://halo.example/auth/token", c.getTokenUrl());
        assertEquals(List.of("all", "offline_access"), c.getScopes());
        assertEquals(Map.of("prompt", "consent"), c.getExtraAuthorizeParams());
        assertEquals(ClientAuthMethod.CLIENT_SECRET_POST, c.getClientAuthMethod());
        assertEquals(RefreshTokenRotation.GRACE, c.getRefreshTokenRotation());
        assertEquals(30L, c.getRefreshTokenGrace());
        assertEquals(120L, c.getRefreshMarginSeconds());
        assertNull(c.getRequestTokenUrl(), "an OAuth 2.0 connection has no request token URL");
        assertNull(c.getSignatureMethod(), "an OAuth 2.0 connection signs nothing");
        assertEquals(EventIds.resource("oauth-connection", "cmd-conn-1"), c.getId());

        Optional<MappingState> mapping =
                fold(log, about("aggregate_id", "integration/HaloPSA/mapping/org-1"), MappingDecider::evolve);
        MappingState m = mapping.orElseThrow();
        assertEquals("tenant-456", m.getEntityId());
        assertEquals("Acme Corp", m.getEntityName());
        Map<String, Object> config = m.getConfig();
        assertEquals("https://halo.example/api", config.get("base_url"));
        assertEquals(30L, config.get("timeout"));
        assertEquals(true, config.get("verbose"));
        assertEquals(Fixtures.json("{\"region\":\"eu\"}"), config.get("extra"));
        assertEquals(sealed("sk_live_1"), config.get("api_key"));

        Optional<AuthorizationState> authorization =
                fold(log, about("state_hash", "hash-1"), TokenDecider::evolveAuthorization);
        AuthorizationState a = authorization.orElseThrow();
        assertTrue(a.getUsed(), "the token it issued used it up");
        assertEquals(sealed("pkce-verifier"), a.getPkceVerifier());
        assertEquals("tenant-456", a.getEntityId());
        assertNull(a.getTemporaryTokenHash(), "an OAuth 2.0 flow has no temporary token");
        assertNull(a.getAuthScheme());
        Optional<AuthorizationState> abandoned =
                fold(log, about("state_hash", "hash-2"), TokenDecider::evolveAuthorization);
        assertTrue(abandoned.orElseThrow().getUsed(), "ended without a token");

        Optional<TokenState> token = fold(log, about("token_id", "halo-oauth/org-1"), TokenDecider::evolve);
        TokenState t = token.orElseThrow();
        assertEquals(TokenDecider.ACTIVE, t.getStatus());
        assertEquals(TokenStatus.ACTIVE, TokenStatus.of(token, T2));
        assertEquals(sealed("access-2"), t.getAccessToken(), "the refreshed access token");
        assertEquals(sealed("refresh-1"), t.getRefreshToken(), "kept: the refresh gave none");
        assertEquals(EXPIRES_2, t.getExpiresAt());
        assertEquals("Bearer", t.getTokenType());
        assertEquals(List.of("all"), t.getScopes());
        assertEquals(T2, t.getRefreshedAt());
        assertEquals(2, t.getVersion());
        assertNull(t.getTokenSecret(), "an OAuth 2.0 token has no token secret");
        assertNull(t.getAuthScheme());

        Optional<TokenState> service = fold(log, about("token_id", "svc/*global*"), TokenDecider::evolve);
        assertEquals(TokenDecider.NEEDS_REAUTH, service.orElseThrow().getStatus());
        assertEquals("invalid_client", service.get().getLastFailure());
        assertNull(service.get().getExpiresAt());
        assertEquals(
                GrantType.CLIENT_CREDENTIALS,
                fold(log, about("connection_name", "svc"), ConnectionDecider::evolve)
                        .orElseThrow()
                        .getGrantType());

        Optional<CredentialsState> credentials =
                fold(log, about("aggregate_id", "integration/Keyed/credentials/org-1"), CredentialsDecider::evolve);
        assertEquals(AuthScheme.API_KEY, credentials.orElseThrow().getAuthScheme());
        assertEquals(Map.of("api_key", sealed("key-1")), credentials.get().getValues());
    }

    @Test
    void shouldRestoreStatesStoredByTheOldSchemasWithTheNewFieldsEmpty() {
        List<SpecificRecord> log = replay(oldLog());
        List<SpecificRecord> folded = List.of(
                fold(log, about("connection_name", "halo-oauth"), ConnectionDecider::evolve)
                        .orElseThrow(),
                fold(log, about("state_hash", "hash-1"), TokenDecider::evolveAuthorization)
                        .orElseThrow(),
                fold(log, about("token_id", "halo-oauth/org-1"), TokenDecider::evolve)
                        .orElseThrow());

        for (SpecificRecord state : folded) {
            // What the old service kept in its store (and changelog topic): the state in the old schema.
            Schema before = BEFORE.get(state.getSchema().getFullName());
            byte[] stored = encode(asOld(state, before));

            SpecificRecord restored = decode(stored, before);

            assertEquals(state.getClass(), restored.getClass());
            assertEquals(state, restored, "restored " + before.getName());
        }
    }

    /** A log of the old service: an OAuth 2.0 integration used by an org, a client-credentials one, an API key one. */
    private static List<GenericRecord> oldLog() {
        String halo = "integration/HaloPSA";
        String conn = "oauth-connection/halo-oauth";
        String token = "oauth-token/halo-oauth/org-1";
        return List.of(
                event("IntegrationCreated", halo, 1, T0, "cmd-int-1")
                        .set("name", "HaloPSA")
                        .set("auth_scheme", symbol("AuthScheme", "OAUTH2"))
                        .set("entity_id_name", "tenant_id")
                        .set(
                                "config_schema",
                                List.of(field("base_url", "STRING", true), field("api_key", "SECRET", false)))
                        .set("oauth_connection", "halo-oauth")
                        .set("credential_headers", Map.of("X-Tenant", "{entity_id}"))
                        .set("created_at", T0.toEpochMilli())
                        .build(),
                event("IntegrationDefaultsSet", halo, 2, T0, "cmd-int-2")
                        .set("name", "HaloPSA")
                        .set("config", Map.of("base_url", "https://halo.example"))
                        .build(),
                event("OAuthConnectionCreated", conn, 1, T0, "cmd-conn-1")
                        .set("connection_name", "halo-oauth")
                        .set("grant_type", symbol("GrantType", "AUTHORIZATION_CODE"))
                        .set("client_id", "cid")
                        .set("client_secret", oldSealed("client-secret"))
                        .set("authorization_url", "https://halo.example/auth/authorize")
                        .set("token_url", "https://halo.example/auth/token")
                        .set("scopes", List.of("all", "offline_access"))
                        .set("extra_authorize_params", Map.of("prompt", "consent"))
                        .set("client_auth_method", symbol("ClientAuthMethod", "CLIENT_SECRET_POST"))
                        .set("refresh_margin_seconds", 120L)
                        .set("refresh_token_rotation", symbol("RefreshTokenRotation", "GRACE"))
                        .set("refresh_token_grace", 30L)
                        .set("created_at", T0.toEpochMilli())
                        .build(),
                event("MappingUpserted", halo + "/mapping/org-1", 1, T0, "cmd-map-1")
                        .set("integration_name", "HaloPSA")
                        .set("org_id", "org-1")
                        .set("entity_id", "tenant-456")
                        .set("entity_name", "Acme Corp")
                        .set("config", mappingConfig())
                        .set("created_at", T0.toEpochMilli())
                        .build(),
                event("AuthorizationStarted", conn + "/authorization/hash-1", 1, T0, "cmd-auth-1")
                        .set("connection_id", "oauth-connection-1")
                        .set("state_hash", "hash-1")
                        .set("connection_name", "halo-oauth")
                        .set("integration_name", "HaloPSA")
                        .set("org_id", "org-1")
                        .set("pkce_verifier", oldSealed("pkce-verifier"))
                        .set("redirect_uri", "https://hub.example/v1/oauth/callback")
                        .set("expires_at", T0.plusSeconds(600).toEpochMilli())
                        .set("entity_id", "tenant-456")
                        .build(),
                event("AuthorizationStarted", conn + "/authorization/hash-2", 1, T0, "cmd-auth-2")
                        .set("connection_id", "oauth-connection-1")
                        .set("state_hash", "hash-2")
                        .set("connection_name", "halo-oauth")
                        .set("integration_name", "HaloPSA")
                        .set("org_id", "org-1")
                        .set("pkce_verifier", oldSealed("pkce-verifier-2"))
                        .set("redirect_uri", "https://hub.example/v1/oauth/callback")
                        .set("expires_at", T0.plusSeconds(600).toEpochMilli())
                        .build(),
                event("AuthorizationEnded", conn + "/authorization/hash-2", 2, T1, "cmd-auth-3")
                        .set("connection_name", "halo-oauth")
                        .set("state_hash", "hash-2")
                        .set("reason", "access_denied")
                        .build(),
                event("TokenIssued", token, 1, T1, "cmd-token-1")
                        .set("token_id", "halo-oauth/org-1")
                        .set("connection_name", "halo-oauth")
                        .set("integration_name", "HaloPSA")
                        .set("org_id", "org-1")
                        .set("state_hash", "hash-1")
                        .set("access_token", oldSealed("access-1"))
                        .set("refresh_token", oldSealed("refresh-1"))
                        .set("expires_at", EXPIRES_1.toEpochMilli())
                        .set("scopes", List.of("all"))
                        .set("issued_at", T1.toEpochMilli())
                        .set("entity_id", "tenant-456")
                        .build(),
                event("TokenRefreshed", token, 2, T2, "cmd-token-2")
                        .set("token_id", "halo-oauth/org-1")
                        .set("connection_name", "halo-oauth")
                        .set("integration_name", "HaloPSA")
                        .set("org_id", "org-1")
                        .set("access_token", oldSealed("access-2"))
                        .set("expires_at", EXPIRES_2.toEpochMilli())
                        .set("refreshed_at", T2.toEpochMilli())
                        .set("request_id", "req-1")
                        .build(),
                event("OAuthConnectionCreated", "oauth-connection/svc", 1, T0, "cmd-conn-2")
                        .set("connection_name", "svc")
                        .set("grant_type", symbol("GrantType", "CLIENT_CREDENTIALS"))
                        .set("client_id", "svc-client")
                        .set("client_secret", oldSealed("svc-secret"))
                        .set("token_url", "https://svc.example/token")
                        .set("client_auth_method", symbol("ClientAuthMethod", "CLIENT_SECRET_BASIC"))
                        .set("created_at", T0.toEpochMilli())
                        .build(),
                event("TokenIssued", "oauth-token/svc/*global*", 1, T1, "cmd-token-3")
                        .set("token_id", "svc/*global*")
                        .set("connection_name", "svc")
                        .set("access_token", oldSealed("svc-access"))
                        .set("issued_at", T1.toEpochMilli())
                        .build(),
                event("TokenRefreshFailed", "oauth-token/svc/*global*", 2, T2, "cmd-token-4")
                        .set("token_id", "svc/*global*")
                        .set("connection_name", "svc")
                        .set("reason", "invalid_client")
                        .set("attempts", 1)
                        .set("needs_reauth", true)
                        .build(),
                event("IntegrationCreated", "integration/Keyed", 1, T0, "cmd-int-3")
                        .set("name", "Keyed")
                        .set("auth_scheme", symbol("AuthScheme", "API_KEY"))
                        .set("config_schema", List.of())
                        .set("created_at", T0.toEpochMilli())
                        .build(),
                event("CredentialsSet", "integration/Keyed/credentials/org-1", 1, T1, "cmd-cred-1")
                        .set("connection_id", "credentials-1")
                        .set("integration_name", "Keyed")
                        .set("org_id", "org-1")
                        .set("auth_scheme", symbol("AuthScheme", "API_KEY"))
                        .set("values", Map.of("api_key", oldSealed("key-1")))
                        .build());
    }

    private static Map<String, Object> mappingConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base_url", "https://halo.example/api");
        config.put("timeout", 30L);
        config.put("verbose", true);
        config.put(
                "extra",
                new GenericRecordBuilder(old("common.JsonText"))
                        .set("json", "{\"region\":\"eu\"}")
                        .build());
        config.put("api_key", oldSealed("sk_live_1"));
        return config;
    }

    /** Encodes each old record with its old writer schema and decodes it as today's class, as a consumer would. */
    private static List<SpecificRecord> replay(List<GenericRecord> oldLog) {
        return oldLog.stream().map(r -> decode(encode(r), r.getSchema())).toList();
    }

    /** The states the deciders fold from the events the filter keeps, in log order. */
    private static <S> Optional<S> fold(
            List<SpecificRecord> log,
            Predicate<SpecificRecord> keep,
            BiFunction<Optional<S>, SpecificRecord, Optional<S>> evolve) {
        Optional<S> state = Optional.empty();
        for (SpecificRecord event : log) {
            if (keep.test(event)) state = evolve.apply(state, event);
        }
        return state;
    }

    /** The events with that field set to that value. */
    private static Predicate<SpecificRecord> about(String field, String value) {
        return event -> {
            Schema.Field f = event.getSchema().getField(field);
            return f != null && value.equals(String.valueOf(event.get(f.pos())));
        };
    }

    private static byte[] encode(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SpecificRecord decode(byte[] bytes, Schema writer) {
        try {
            Schema reader = todaysSchema(writer.getFullName());
            SpecificDatumReader<SpecificRecord> datumReader =
                    new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
            SpecificRecord read = datumReader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            assertInstanceOf(SpecificRecord.class, read);
            return read;
        } catch (IOException | ReflectiveOperationException e) {
            throw new AssertionError("cannot read an old " + writer.getFullName(), e);
        }
    }

    /** Today's record in the old schema: what the old service would have stored (the new fields must be empty). */
    private static GenericRecord asOld(SpecificRecord today, Schema before) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(today.getSchema()).write(today, encoder);
            encoder.flush();
            GenericRecord projected = new GenericDatumReader<GenericRecord>(today.getSchema(), before)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            for (Schema.Field added : today.getSchema().getFields()) {
                if (before.getField(added.name()) == null) {
                    assertNull(today.get(added.pos()), "the old service never set " + added.name());
                }
            }
            return projected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema todaysSchema(String fullName) throws ReflectiveOperationException {
        return (Schema) Class.forName(fullName).getField("SCHEMA$").get(null);
    }

    /** An old schema by its name under com.integrationshub, e.g. {@code events.TokenIssued}. */
    private static Schema old(String name) {
        Schema schema = BEFORE.get("com.integrationshub." + name);
        if (schema == null) throw new AssertionError("no old schema " + name);
        return schema;
    }

    /** An old event with the envelope every event has. */
    private static GenericRecordBuilder event(String type, String aggregate, long version, Instant at, String cause) {
        return new GenericRecordBuilder(old("events." + type))
                .set("event_id", type + "-" + cause)
                .set("aggregate_id", aggregate)
                .set("version", version)
                .set("occurred_at", at.toEpochMilli())
                .set("causation_id", cause);
    }

    private static GenericData.EnumSymbol symbol(String commonEnum, String value) {
        Schema schema = old("common." + commonEnum);
        assertTrue(schema.hasEnumSymbol(value), value);
        return new GenericData.EnumSymbol(schema, value);
    }

    private static GenericRecord field(String key, String type, boolean required) {
        return new GenericRecordBuilder(old("common.ConfigField"))
                .set("key", key)
                .set("type", symbol("ConfigFieldType", type))
                .set("required", required)
                .build();
    }

    private static GenericRecord oldSealed(String ciphertext) {
        return new GenericRecordBuilder(old("common.SealedSecret"))
                .set("key_id", 7L)
                .set("ciphertext", ByteBuffer.wrap(ciphertext.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static SealedSecret sealed(String ciphertext) {
        return SealedSecret.newBuilder()
                .setKeyId(7L)
                .setCiphertext(ByteBuffer.wrap(ciphertext.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    @Test
    void shouldKeepTheOldSchemasAsTheyWere() {
        // The copy is the log's writer: it must not follow today's files.
        assertFalse(old("common.GrantType").hasEnumSymbol("OAUTH1"));
        assertNull(old("events.TokenIssued").getField("token_secret"));
        assertEquals(JsonText.class.getName(), old("common.JsonText").getFullName());
    }
}
