package com.integrationshub.query.streams;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.DeleteOAuthConnection;
import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.AuthScheme;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.ConfigField;
import com.integrationshub.common.ConfigFieldType;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.SealedSecret;
import com.integrationshub.domain.Names;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Commands as the query service's controllers and the refresher send them, with test values. */
final class TestCommands {

    static final String ADMIN = "admin";

    private TestCommands() {}

    /** An integration with one optional string field, {@code tier}. */
    static CreateIntegration createIntegration(String commandId, String name, String description, Instant at) {
        return CreateIntegration.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setName(name)
                .setDescription(description)
                .setAuthScheme(AuthScheme.API_KEY)
                .setConfigSchema(List.of(new ConfigField("tier", ConfigFieldType.STRING, false)))
                .build();
    }

    /** The org's mapping with {@code tier} overridden. */
    static UpsertMapping upsertMapping(String commandId, String integration, String orgId, String tier, Instant at) {
        return UpsertMapping.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setIntegrationName(integration)
                .setOrgId(orgId)
                .setEntityId("tenant-" + orgId)
                .setConfig(Map.of("tier", tier))
                .build();
    }

    static DeleteOAuthConnection deleteConnection(String commandId, String name, Instant at) {
        return DeleteOAuthConnection.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setConnectionName(name)
                .build();
    }

    static CreateOAuthConnection createConnection(String commandId, String name, GrantType grant, Instant at) {
        return CreateOAuthConnection.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setConnectionName(name)
                .setGrantType(grant)
                .setClientId("hub-client")
                .setClientSecret(sealed())
                .setAuthorizationUrl(
                        grant == GrantType.AUTHORIZATION_CODE ? "https://provider.example/authorize" : null)
                .setTokenUrl("https://provider.example/token")
                .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .build();
    }

    static StartAuthorization startAuthorization(
            String commandId, String connection, String orgId, String stateHash, Instant at, Instant expiresAt) {
        return StartAuthorization.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setConnectionId(connection + "/" + orgId)
                .setStateHash(stateHash)
                .setConnectionName(connection)
                .setOrgId(orgId)
                .setPkceVerifier(sealed())
                .setRedirectUri("https://hub.example/v1/oauth/callback")
                .setExpiresAt(expiresAt)
                .build();
    }

    /** A client-credentials token of the org (no authorization flow). */
    static IssueToken issueToken(String commandId, String connection, String orgId, Instant at) {
        return IssueToken.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setTokenId(Names.tokenId(connection, orgId))
                .setConnectionName(connection)
                .setOrgId(orgId)
                .setAccessToken(sealed())
                .setExpiresAt(at.plusSeconds(3600))
                .build();
    }

    static RequestTokenRefresh requestRefresh(String commandId, String connection, String orgId, Instant at) {
        return RequestTokenRefresh.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy(ADMIN)
                .setTokenId(Names.tokenId(connection, orgId))
                .setConnectionName(connection)
                .setOrgId(orgId)
                .build();
    }

    /** The refresher's report of a refresh of the token it saw at `expectedVersion`. */
    static RecordTokenRefresh recordRefresh(
            String commandId, String connection, String orgId, long expectedVersion, String requestId, Instant at) {
        return RecordTokenRefresh.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy("token-refresher")
                .setExpectedVersion(expectedVersion)
                .setTokenId(Names.tokenId(connection, orgId))
                .setConnectionName(connection)
                .setOrgId(orgId)
                .setAccessToken(sealed())
                .setExpiresAt(at.plusSeconds(3600))
                .setAttempts(1)
                .setRequestId(requestId)
                .build();
    }

    /** The refresher's report of a refresh the provider refused (`needsReauth`) or did not answer. */
    static RecordTokenRefreshFailure recordFailure(
            String commandId, String connection, String orgId, long expectedVersion, boolean needsReauth, Instant at) {
        return RecordTokenRefreshFailure.newBuilder()
                .setCommandId(commandId)
                .setIssuedAt(at)
                .setIssuedBy("token-refresher")
                .setExpectedVersion(expectedVersion)
                .setTokenId(Names.tokenId(connection, orgId))
                .setConnectionName(connection)
                .setOrgId(orgId)
                .setReason(needsReauth ? "invalid_grant" : "HTTP 503")
                .setAttempts(5)
                .setNeedsReauth(needsReauth)
                .build();
    }

    /** A stand-in for a sealed secret: the topology never opens one. */
    static SealedSecret sealed() {
        return SealedSecret.newBuilder()
                .setKeyId(1L)
                .setCiphertext(ByteBuffer.wrap(new byte[32]))
                .build();
    }
}
