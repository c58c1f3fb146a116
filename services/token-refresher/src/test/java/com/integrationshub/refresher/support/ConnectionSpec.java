package com.integrationshub.refresher.support;

import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import java.util.List;

/**
 * An OAuth connection as a test defines it.
 *
 * @param name          connection name
 * @param grantType     authorization code or client credentials
 * @param clientId      client id at the provider
 * @param clientSecret  client secret in clear (sealed when the event is written)
 * @param tokenUrl      token URL, may contain {entity_id}
 * @param clientAuth    how the client authenticates at the token endpoint
 * @param marginSeconds refresh margin of the connection, or null for the service default
 * @param scopes        scopes
 * @param rotation      how the provider treats a refresh token presented again (null: strict)
 * @param graceSeconds  the grace of a {@code GRACE} rotation, or null
 */
public record ConnectionSpec(
        String name,
        GrantType grantType,
        String clientId,
        String clientSecret,
        String tokenUrl,
        ClientAuthMethod clientAuth,
        Long marginSeconds,
        List<String> scopes,
        RefreshTokenRotation rotation,
        Long graceSeconds) {

    /** An authorization-code connection with HTTP Basic client authentication and no margin of its own. */
    public static ConnectionSpec authorizationCode(String name, String clientId, String secret, String tokenUrl) {
        return new ConnectionSpec(
                name,
                GrantType.AUTHORIZATION_CODE,
                clientId,
                secret,
                tokenUrl,
                ClientAuthMethod.CLIENT_SECRET_BASIC,
                null,
                List.of("read"),
                null,
                null);
    }

    /** This connection with another client authentication. */
    public ConnectionSpec withClientAuth(ClientAuthMethod method) {
        return new ConnectionSpec(
                name,
                grantType,
                clientId,
                clientSecret,
                tokenUrl,
                method,
                marginSeconds,
                scopes,
                rotation,
                graceSeconds);
    }

    /** This connection with another grant type. */
    public ConnectionSpec withGrantType(GrantType grant) {
        return new ConnectionSpec(
                name,
                grant,
                clientId,
                clientSecret,
                tokenUrl,
                clientAuth,
                marginSeconds,
                scopes,
                rotation,
                graceSeconds);
    }

    /** This connection with another refresh token rotation (and grace, for {@code GRACE}). */
    public ConnectionSpec withRotation(RefreshTokenRotation newRotation, Long grace) {
        return new ConnectionSpec(
                name,
                grantType,
                clientId,
                clientSecret,
                tokenUrl,
                clientAuth,
                marginSeconds,
                scopes,
                newRotation,
                grace);
    }
}
