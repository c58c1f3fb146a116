package com.integrationshub.domain.oauth;

import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.DeleteOAuthConnection;
import com.integrationshub.commands.UpdateOAuthConnection;
import com.integrationshub.common.FieldError;
import com.integrationshub.common.GrantType;
import com.integrationshub.common.RefreshTokenRotation;
import com.integrationshub.common.SignatureMethod;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.EventIds;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.token.RefreshTokenReuse;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.state.ConnectionState;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/** Decides OAuth connection commands (create, change, delete) and folds the connection's events. */
public final class ConnectionDecider {

    /** The fields a PATCH may change. */
    public static final Set<String> PATCHABLE = Set.of(
            "grant_type",
            "client_id",
            "client_secret",
            "authorization_url",
            "token_url",
            "scopes",
            "extra_authorize_params",
            "client_auth_method",
            "refresh_margin_seconds",
            "refresh_token_rotation",
            "refresh_token_grace",
            "request_token_url",
            "signature_method");

    private ConnectionDecider() {}

    /** Creates the connection unless the name is taken; URLs must be http(s). */
    public static Decision decide(CreateOAuthConnection cmd, Optional<ConnectionState> current, Instant now) {
        if (current.isPresent()) {
            return Decision.reject(
                    Problems.conflict("OAuth connection '" + cmd.getConnectionName() + "' already exists"));
        }
        Long grace = RefreshTokenReuse.grace(cmd.getRefreshTokenRotation(), cmd.getRefreshTokenGrace());
        SignatureMethod method = signatureMethod(cmd.getGrantType(), cmd.getSignatureMethod());
        List<FieldError> errors =
                check(cmd.getGrantType(), cmd.getAuthorizationUrl(), cmd.getTokenUrl(), cmd.getRefreshMarginSeconds());
        errors.addAll(checkOAuth1(
                cmd.getGrantType(),
                cmd.getRequestTokenUrl(),
                method,
                cmd.getTokenUrl(),
                cmd.getClientSecret() != null));
        errors.addAll(RefreshTokenReuse.check(cmd.getRefreshTokenRotation(), grace));
        if (!errors.isEmpty()) return Decision.reject(Problems.invalid("the OAuth connection is invalid", errors));
        return Decision.accept(OAuthConnectionCreated.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.connectionAggregate(cmd.getConnectionName()))
                .setVersion(1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionName(cmd.getConnectionName())
                .setGrantType(cmd.getGrantType())
                .setClientId(cmd.getClientId())
                .setClientSecret(cmd.getClientSecret())
                .setAuthorizationUrl(cmd.getAuthorizationUrl())
                .setTokenUrl(cmd.getTokenUrl())
                .setScopes(cmd.getScopes())
                .setExtraAuthorizeParams(cmd.getExtraAuthorizeParams())
                .setClientAuthMethod(cmd.getClientAuthMethod())
                .setRefreshMarginSeconds(cmd.getRefreshMarginSeconds())
                .setRefreshTokenRotation(cmd.getRefreshTokenRotation())
                .setRefreshTokenGrace(grace)
                .setRequestTokenUrl(cmd.getRequestTokenUrl())
                .setSignatureMethod(method)
                .setCreatedAt(now)
                .build());
    }

    /** Changes the listed fields. */
    public static Decision decide(UpdateOAuthConnection cmd, Optional<ConnectionState> current, Instant now) {
        if (current.isEmpty()) return Decision.reject(Problems.notFound("OAuth connection", cmd.getConnectionName()));
        ConnectionState s = current.get();
        if (cmd.getExpectedVersion() != null && cmd.getExpectedVersion() != s.getVersion()) {
            return Decision.reject(Problems.staleVersion(cmd.getExpectedVersion(), s.getVersion()));
        }
        List<String> changed = cmd.getChangedFields();
        RefreshTokenRotation rotation = changed.contains("refresh_token_rotation")
                ? cmd.getRefreshTokenRotation()
                : s.getRefreshTokenRotation();
        // A rotation changed without a grace keeps the grace only while it stays grace (else the default applies).
        Long grace = changed.contains("refresh_token_grace")
                ? cmd.getRefreshTokenGrace()
                : rotation == RefreshTokenRotation.GRACE ? s.getRefreshTokenGrace() : null;
        grace = RefreshTokenReuse.grace(rotation, grace);
        OAuthConnectionUpdated next = OAuthConnectionUpdated.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.connectionAggregate(cmd.getConnectionName()))
                .setVersion(s.getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionName(s.getName())
                .setGrantType(
                        changed.contains("grant_type") && cmd.getGrantType() != null
                                ? cmd.getGrantType()
                                : s.getGrantType())
                .setClientId(
                        changed.contains("client_id") && cmd.getClientId() != null
                                ? cmd.getClientId()
                                : s.getClientId())
                .setClientSecret(changed.contains("client_secret") ? cmd.getClientSecret() : s.getClientSecret())
                .setAuthorizationUrl(
                        changed.contains("authorization_url") ? cmd.getAuthorizationUrl() : s.getAuthorizationUrl())
                .setTokenUrl(
                        changed.contains("token_url") && cmd.getTokenUrl() != null
                                ? cmd.getTokenUrl()
                                : s.getTokenUrl())
                .setScopes(changed.contains("scopes") && cmd.getScopes() != null ? cmd.getScopes() : s.getScopes())
                .setExtraAuthorizeParams(
                        changed.contains("extra_authorize_params") && cmd.getExtraAuthorizeParams() != null
                                ? cmd.getExtraAuthorizeParams()
                                : s.getExtraAuthorizeParams())
                .setClientAuthMethod(
                        changed.contains("client_auth_method") && cmd.getClientAuthMethod() != null
                                ? cmd.getClientAuthMethod()
                                : s.getClientAuthMethod())
                .setRefreshMarginSeconds(
                        changed.contains("refresh_margin_seconds")
                                ? cmd.getRefreshMarginSeconds()
                                : s.getRefreshMarginSeconds())
                .setRefreshTokenRotation(rotation)
                .setRefreshTokenGrace(grace)
                .setRequestTokenUrl(
                        changed.contains("request_token_url") ? cmd.getRequestTokenUrl() : s.getRequestTokenUrl())
                .build();
        GrantType grant = next.getGrantType();
        next.setSignatureMethod(signatureMethod(
                grant, changed.contains("signature_method") ? cmd.getSignatureMethod() : s.getSignatureMethod()));
        List<FieldError> errors = check(
                next.getGrantType(), next.getAuthorizationUrl(), next.getTokenUrl(), next.getRefreshMarginSeconds());
        errors.addAll(checkOAuth1(
                grant,
                next.getRequestTokenUrl(),
                next.getSignatureMethod(),
                next.getTokenUrl(),
                next.getClientSecret() != null));
        errors.addAll(RefreshTokenReuse.check(rotation, grace));
        if (!errors.isEmpty()) return Decision.reject(Problems.invalid("the OAuth connection is invalid", errors));
        return Decision.accept(next);
    }

    /** Deletes the connection; its tokens go with it. */
    public static Decision decide(DeleteOAuthConnection cmd, Optional<ConnectionState> current, Instant now) {
        if (current.isEmpty()) return Decision.reject(Problems.notFound("OAuth connection", cmd.getConnectionName()));
        if (cmd.getExpectedVersion() != null
                && cmd.getExpectedVersion() != current.get().getVersion()) {
            return Decision.reject(Problems.staleVersion(
                    cmd.getExpectedVersion(), current.get().getVersion()));
        }
        return Decision.accept(OAuthConnectionDeleted.newBuilder()
                .setEventId(EventIds.event(cmd.getCommandId(), 0))
                .setAggregateId(Names.connectionAggregate(cmd.getConnectionName()))
                .setVersion(current.get().getVersion() + 1)
                .setOccurredAt(now)
                .setCausationId(cmd.getCommandId())
                .setConnectionName(cmd.getConnectionName())
                .build());
    }

    /** The connection after one of its events; empty after deletion. */
    public static Optional<ConnectionState> evolve(Optional<ConnectionState> state, SpecificRecord event) {
        if (event instanceof OAuthConnectionCreated e) {
            return Optional.of(ConnectionState.newBuilder()
                    .setId(EventIds.resource("oauth-connection", e.getCausationId()))
                    .setName(e.getConnectionName())
                    .setGrantType(e.getGrantType())
                    .setClientId(e.getClientId())
                    .setClientSecret(e.getClientSecret())
                    .setAuthorizationUrl(e.getAuthorizationUrl())
                    .setTokenUrl(e.getTokenUrl())
                    .setScopes(e.getScopes())
                    .setExtraAuthorizeParams(e.getExtraAuthorizeParams())
                    .setClientAuthMethod(e.getClientAuthMethod())
                    .setRefreshMarginSeconds(e.getRefreshMarginSeconds())
                    .setRefreshTokenRotation(e.getRefreshTokenRotation())
                    .setRefreshTokenGrace(e.getRefreshTokenGrace())
                    .setRequestTokenUrl(e.getRequestTokenUrl())
                    .setSignatureMethod(e.getSignatureMethod())
                    .setVersion(e.getVersion())
                    .setCreatedAt(e.getCreatedAt())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (event instanceof OAuthConnectionUpdated e && state.isPresent()) {
            return Optional.of(ConnectionState.newBuilder(state.get())
                    .setGrantType(e.getGrantType())
                    .setClientId(e.getClientId())
                    .setClientSecret(e.getClientSecret())
                    .setAuthorizationUrl(e.getAuthorizationUrl())
                    .setTokenUrl(e.getTokenUrl())
                    .setScopes(e.getScopes())
                    .setExtraAuthorizeParams(e.getExtraAuthorizeParams())
                    .setClientAuthMethod(e.getClientAuthMethod())
                    .setRefreshMarginSeconds(e.getRefreshMarginSeconds())
                    .setRefreshTokenRotation(e.getRefreshTokenRotation())
                    .setRefreshTokenGrace(e.getRefreshTokenGrace())
                    .setRequestTokenUrl(e.getRequestTokenUrl())
                    .setSignatureMethod(e.getSignatureMethod())
                    .setVersion(e.getVersion())
                    .setUpdatedAt(e.getOccurredAt())
                    .build());
        }
        if (event instanceof OAuthConnectionDeleted) return Optional.empty();
        return state;
    }

    /** An OAuth 1.0a connection signs with HMAC-SHA1 unless it names another method; OAuth 2.0 signs nothing. */
    private static SignatureMethod signatureMethod(GrantType grant, SignatureMethod named) {
        if (grant != GrantType.OAUTH1) return named;
        return named == null ? SignatureMethod.HMAC_SHA1 : named;
    }

    /**
     * OAuth 1.0a needs its three endpoints (authorization_url is checked with the others) and the consumer secret,
     * which every method signs with; PLAINTEXT sends that secret as the signature, so only over https. The OAuth 1.0a
     * members mean nothing to an OAuth 2.0 connection and are refused there.
     */
    private static List<FieldError> checkOAuth1(
            GrantType grant, String requestTokenUrl, SignatureMethod method, String tokenUrl, boolean hasSecret) {
        List<FieldError> errors = new ArrayList<>();
        if (grant != GrantType.OAUTH1) {
            if (requestTokenUrl != null)
                errors.add(new FieldError("request_token_url", "is only for grant_type oauth1"));
            if (method != null) errors.add(new FieldError("signature_method", "is only for grant_type oauth1"));
            return errors;
        }
        if (!isHttpUrl(requestTokenUrl)) {
            errors.add(new FieldError("request_token_url", "is required for oauth1: an http(s) URL"));
        }
        if (!hasSecret) errors.add(new FieldError("client_secret", "is required for oauth1 (the consumer secret)"));
        if (method == SignatureMethod.PLAINTEXT) {
            if (isHttpUrl(requestTokenUrl) && !isHttps(requestTokenUrl)) {
                errors.add(new FieldError("request_token_url", "must be https with signature_method PLAINTEXT"));
            }
            if (isHttpUrl(tokenUrl) && !isHttps(tokenUrl)) {
                errors.add(new FieldError("access_token_url", "must be https with signature_method PLAINTEXT"));
            }
        }
        return errors;
    }

    private static boolean isHttps(String url) {
        return URI.create(url.replace("{entity_id}", "entity")).getScheme().equals("https");
    }

    private static List<FieldError> check(GrantType grant, String authorizationUrl, String tokenUrl, Long margin) {
        List<FieldError> errors = new ArrayList<>();
        // OAuth 1.0a calls its token endpoint the access token URL (RFC 5849 §2.3), and so does its JSON.
        String tokenField = grant == GrantType.OAUTH1 ? "access_token_url" : "token_url";
        if (!isHttpUrl(tokenUrl)) errors.add(new FieldError(tokenField, "must be an http(s) URL"));
        if (grant == GrantType.AUTHORIZATION_CODE && !isHttpUrl(authorizationUrl)) {
            errors.add(new FieldError("authorization_url", "is required for authorization_code: an http(s) URL"));
        } else if (grant == GrantType.OAUTH1 && !isHttpUrl(authorizationUrl)) {
            errors.add(new FieldError("authorization_url", "is required for oauth1: an http(s) URL"));
        } else if (authorizationUrl != null && !isHttpUrl(authorizationUrl)) {
            errors.add(new FieldError("authorization_url", "must be an http(s) URL"));
        }
        if (margin != null && margin < 0) errors.add(new FieldError("refresh_margin_seconds", "must not be negative"));
        return errors;
    }

    private static boolean isHttpUrl(String url) {
        if (url == null) return false;
        try {
            // {entity_id} is filled per org later; it must not make the rest of the URL invalid.
            URI uri = URI.create(url.replace("{entity_id}", "entity"));
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
