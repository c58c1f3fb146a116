package com.integrationshub.domain.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.UpdateOAuthConnection;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.domain.Decision;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.state.ConnectionState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/** The connection's refresh_token_rotation and refresh_token_grace, as ConnectionDecider decides and folds them. */
class ConnectionRotationTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void shouldKeepTheDefaultGraceForAGraceConnectionThatNamesNone() {
        ConnectionState created = created(RefreshTokenRotation.GRACE, null);

        assertEquals(RefreshTokenRotation.GRACE, created.getRefreshTokenRotation());
        assertEquals(60L, created.getRefreshTokenGrace());
    }

    @Test
    void shouldLeaveAnOldConnectionWithoutTheSettingAsIs() {
        ConnectionState created = created(null, null);

        assertNull(created.getRefreshTokenRotation());
        assertNull(created.getRefreshTokenGrace());
    }

    @Test
    void shouldRefuseANegativeGraceNamingTheField() {
        Decision decision = ConnectionDecider.decide(create(RefreshTokenRotation.GRACE, -1L), Optional.empty(), NOW);

        assertFalse(decision.accepted());
        assertEquals(List.of("refresh_token_grace"), fields(decision));
    }

    @Test
    void shouldRefuseAGraceOnAStrictConnection() {
        Decision decision = ConnectionDecider.decide(create(RefreshTokenRotation.STRICT, 30L), Optional.empty(), NOW);

        assertEquals(List.of("refresh_token_grace"), fields(decision));
    }

    @Test
    void shouldDropTheGraceWhenAPatchLeavesGraceRotation() {
        ConnectionState grace = created(RefreshTokenRotation.GRACE, 30L);

        ConnectionState next = update(grace, List.of("refresh_token_rotation"), RefreshTokenRotation.NONE, null);

        assertEquals(RefreshTokenRotation.NONE, next.getRefreshTokenRotation());
        assertNull(next.getRefreshTokenGrace());
    }

    @Test
    void shouldKeepTheGraceWhenAPatchChangesOtherFieldsAndChangeItAlone() {
        ConnectionState grace = created(RefreshTokenRotation.GRACE, 30L);

        ConnectionState other = update(grace, List.of("refresh_margin_seconds"), null, null);
        ConnectionState longer = update(grace, List.of("refresh_token_grace"), null, 120L);

        assertEquals(30L, other.getRefreshTokenGrace());
        assertEquals(RefreshTokenRotation.GRACE, longer.getRefreshTokenRotation());
        assertEquals(120L, longer.getRefreshTokenGrace());
    }

    @Test
    void shouldRefuseAPatchGivingAGraceToAStrictConnection() {
        ConnectionState strict = created(RefreshTokenRotation.STRICT, null);

        Decision decision = ConnectionDecider.decide(
                updateCommand(List.of("refresh_token_grace"), null, 30L), Optional.of(strict), NOW);

        assertEquals(List.of("refresh_token_grace"), fields(decision));
    }

    @Test
    void shouldReadConnectionRecordsWrittenBeforeTheSetting() {
        for (Schema today : List.of(
                CreateOAuthConnection.getClassSchema(),
                UpdateOAuthConnection.getClassSchema(),
                OAuthConnectionCreated.getClassSchema(),
                OAuthConnectionUpdated.getClassSchema(),
                ConnectionState.getClassSchema())) {
            Schema before = withoutRotation(today);
            assertEquals(
                    SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(today, before)
                            .getType(),
                    today.getName() + " reads what was written before (BACKWARD)");
        }
    }

    /** The schema as it was before refresh_token_rotation and refresh_token_grace. */
    private static Schema withoutRotation(Schema today) {
        List<Schema.Field> fields = today.getFields().stream()
                .filter(f -> !f.name().startsWith("refresh_token_"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(today.getName(), today.getDoc(), today.getNamespace(), false, fields);
    }

    private static ConnectionState created(RefreshTokenRotation rotation, Long grace) {
        Decision decision = ConnectionDecider.decide(create(rotation, grace), Optional.empty(), NOW);
        return ConnectionDecider.evolve(Optional.empty(), decision.events().get(0))
                .orElseThrow();
    }

    private static ConnectionState update(
            ConnectionState current, List<String> changed, RefreshTokenRotation rotation, Long grace) {
        Decision decision =
                ConnectionDecider.decide(updateCommand(changed, rotation, grace), Optional.of(current), NOW);
        OAuthConnectionUpdated event =
                (OAuthConnectionUpdated) decision.events().get(0);
        return ConnectionDecider.evolve(Optional.of(current), event).orElseThrow();
    }

    private static CreateOAuthConnection create(RefreshTokenRotation rotation, Long grace) {
        return CreateOAuthConnection.newBuilder()
                .setCommandId("c-1")
                .setIssuedAt(NOW)
                .setIssuedBy("admin")
                .setConnectionName("halo")
                .setGrantType(GrantType.AUTHORIZATION_CODE)
                .setClientId("app")
                .setAuthorizationUrl("https://login.example.com/authorize")
                .setTokenUrl("https://login.example.com/token")
                .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .setRefreshTokenRotation(rotation)
                .setRefreshTokenGrace(grace)
                .build();
    }

    private static UpdateOAuthConnection updateCommand(
            List<String> changed, RefreshTokenRotation rotation, Long grace) {
        return UpdateOAuthConnection.newBuilder()
                .setCommandId("c-2")
                .setIssuedAt(NOW)
                .setIssuedBy("admin")
                .setConnectionName("halo")
                .setChangedFields(changed)
                .setRefreshMarginSeconds(changed.contains("refresh_margin_seconds") ? 120L : null)
                .setRefreshTokenRotation(rotation)
                .setRefreshTokenGrace(grace)
                .build();
    }

    private static List<String> fields(Decision decision) {
        return decision.rejection().orElseThrow().getErrors().stream()
                .map(FieldError::getField)
                .toList();
    }
}
