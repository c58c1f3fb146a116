package com.integrationshub.query.store;

import com.integrationshub.domain.Names;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.events.AuthorizationEnded;
import com.integrationshub.events.AuthorizationStarted;
import com.integrationshub.events.CredentialsSet;
import com.integrationshub.events.IntegrationCreated;
import com.integrationshub.events.IntegrationDefaultsSet;
import com.integrationshub.events.IntegrationDeleted;
import com.integrationshub.events.IntegrationSpecRemoved;
import com.integrationshub.events.IntegrationSpecSet;
import com.integrationshub.events.IntegrationUpdated;
import com.integrationshub.events.MappingDeleted;
import com.integrationshub.events.MappingUpserted;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.OAuthConnectionDeleted;
import com.integrationshub.events.OAuthConnectionUpdated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.events.TokenRevoked;
import com.integrationshub.state.AuthorizationState;
import com.integrationshub.state.ConnectionState;
import com.integrationshub.state.CredentialsState;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One partition's state of every kind, in the view stores, and the fold of one event into it. The record key is the
 * partition key: the integration name, or the connection name.
 */
public final class HubState {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, IntegrationState> integrations;
    private final KeyValueStore<String, MappingState> mappings;
    private final KeyValueStore<String, CredentialsState> credentials;
    private final KeyValueStore<String, ConnectionState> connections;
    private final KeyValueStore<String, TokenState> tokens;
    private final KeyValueStore<String, AuthorizationState> authorizations;
    /** The last versions of deleted integrations and mappings. */
    private final KeyValueStore<String, Long> lastVersions;

    private final StoreChanges changes;

    /** The state of the processor's partition: every change of a view is told to `changes` once the store holds it. */
    public HubState(ProcessorContext<?, ?> context, StoreChanges changes) {
        this.changes = changes;
        this.integrations = context.getStateStore(StoreNames.view(StoreNames.INTEGRATIONS));
        this.mappings = context.getStateStore(StoreNames.view(StoreNames.MAPPINGS));
        this.credentials = context.getStateStore(StoreNames.view(StoreNames.CREDENTIALS));
        this.connections = context.getStateStore(StoreNames.view(StoreNames.CONNECTIONS));
        this.tokens = context.getStateStore(StoreNames.view(StoreNames.TOKENS));
        this.authorizations = context.getStateStore(StoreNames.view(StoreNames.AUTHORIZATIONS));
        this.lastVersions = context.getStateStore(StoreNames.LAST_VERSIONS);
    }

    /** The last version a deleted resource (by aggregate id) had; 0 when none was deleted. */
    public long lastVersion(String aggregateId) {
        Long last = lastVersions.get(aggregateId);
        return last == null ? 0 : last;
    }

    public Optional<IntegrationState> integration(String name) {
        return Optional.ofNullable(integrations.get(name));
    }

    public Optional<MappingState> mapping(String integration, String orgId) {
        return Optional.ofNullable(mappings.get(Names.mappingKey(integration, orgId)));
    }

    public List<MappingState> mappingsOf(String integration) {
        return prefix(mappings, Names.mappingPrefix(integration));
    }

    public Optional<CredentialsState> credentials(String integration, String orgIdOrNull) {
        return Optional.ofNullable(credentials.get(CredentialsDecider.key(integration, orgIdOrNull)));
    }

    public Optional<ConnectionState> connection(String name) {
        return Optional.ofNullable(connections.get(name));
    }

    public Optional<TokenState> token(String tokenId) {
        return Optional.ofNullable(tokens.get(tokenId));
    }

    public Optional<AuthorizationState> authorization(String stateHash) {
        return stateHash == null ? Optional.empty() : Optional.ofNullable(authorizations.get(stateHash));
    }

    /** Deletes the authorizations that have expired (a used or expired state is refused whether kept or not). */
    public int deleteExpiredAuthorizations(Instant now) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, AuthorizationState> it = authorizations.all()) {
            it.forEachRemaining(kv -> {
                if (StoreRetention.expired(kv.value, now)) expired.add(kv.key);
            });
        }
        expired.forEach(key -> delete(authorizations, key));
        return expired.size();
    }

    /** Folds one event of the aggregate keyed `key` into the stores. */
    public void apply(String key, SpecificRecord event) {
        if (event instanceof IntegrationCreated
                || event instanceof IntegrationUpdated
                || event instanceof IntegrationDefaultsSet
                || event instanceof IntegrationSpecSet
                || event instanceof IntegrationSpecRemoved) {
            put(integrations, key, IntegrationDecider.evolve(integration(key), event));
        } else if (event instanceof IntegrationDeleted e) {
            delete(integrations, key);
            lastVersions.put(Names.integrationAggregate(key), e.getVersion());
            for (MappingState m : mappingsOf(key)) {
                lastVersions.put(Names.mappingAggregate(key, m.getOrgId()), m.getVersion());
            }
            deletePrefix(mappings, Names.mappingPrefix(key));
            deletePrefix(credentials, Names.mappingPrefix(key));
        } else if (event instanceof MappingUpserted || event instanceof MappingDeleted) {
            if (event instanceof MappingDeleted e) {
                lastVersions.put(Names.mappingAggregate(key, e.getOrgId()), e.getVersion());
            }
            String mappingKey = Names.mappingKey(key, RecordFields.string(event, "org_id"));
            put(mappings, mappingKey, MappingDecider.evolve(Optional.ofNullable(mappings.get(mappingKey)), event));
        } else if (event instanceof CredentialsSet e) {
            String credentialsKey = CredentialsDecider.key(key, e.getOrgId());
            put(
                    credentials,
                    credentialsKey,
                    CredentialsDecider.evolve(Optional.ofNullable(credentials.get(credentialsKey)), event));
        } else if (event instanceof OAuthConnectionCreated || event instanceof OAuthConnectionUpdated) {
            put(connections, key, ConnectionDecider.evolve(connection(key), event));
        } else if (event instanceof OAuthConnectionDeleted) {
            delete(connections, key);
            deletePrefix(tokens, key + "/");
        } else if (event instanceof AuthorizationStarted e) {
            put(authorizations, e.getStateHash(), TokenDecider.evolveAuthorization(Optional.empty(), event));
        } else if (event instanceof AuthorizationEnded e) {
            put(
                    authorizations,
                    e.getStateHash(),
                    TokenDecider.evolveAuthorization(authorization(e.getStateHash()), event));
        } else if (event instanceof TokenIssued e) {
            put(tokens, e.getTokenId(), TokenDecider.evolve(token(e.getTokenId()), event));
            if (e.getStateHash() != null) {
                put(
                        authorizations,
                        e.getStateHash(),
                        TokenDecider.evolveAuthorization(authorization(e.getStateHash()), event));
            }
        } else if (event instanceof TokenRefreshed
                || event instanceof TokenRefreshFailed
                || event instanceof TokenRevoked) {
            String tokenId = RecordFields.string(event, "token_id");
            put(tokens, tokenId, TokenDecider.evolve(token(tokenId), event));
        }
    }

    /**
     * The states folding `event` into the aggregate keyed `key` would store, without storing them: what the
     * record budget is checked against before the event is appended.
     */
    public List<SpecificRecord> after(String key, SpecificRecord event) {
        List<Optional<? extends SpecificRecord>> next = new ArrayList<>();
        if (event instanceof IntegrationCreated
                || event instanceof IntegrationUpdated
                || event instanceof IntegrationDefaultsSet
                || event instanceof IntegrationSpecSet
                || event instanceof IntegrationSpecRemoved) {
            next.add(IntegrationDecider.evolve(integration(key), event));
        } else if (event instanceof MappingUpserted) {
            String orgId = RecordFields.string(event, "org_id");
            next.add(MappingDecider.evolve(mapping(key, orgId), event));
        } else if (event instanceof CredentialsSet e) {
            next.add(CredentialsDecider.evolve(credentials(key, e.getOrgId()), event));
        } else if (event instanceof OAuthConnectionCreated || event instanceof OAuthConnectionUpdated) {
            next.add(ConnectionDecider.evolve(connection(key), event));
        } else if (event instanceof AuthorizationStarted) {
            next.add(TokenDecider.evolveAuthorization(Optional.empty(), event));
        } else if (event instanceof TokenIssued e) {
            next.add(TokenDecider.evolve(token(e.getTokenId()), event));
            if (e.getStateHash() != null)
                next.add(TokenDecider.evolveAuthorization(authorization(e.getStateHash()), event));
        } else if (event instanceof TokenRefreshed
                || event instanceof TokenRefreshFailed
                || event instanceof TokenRevoked) {
            next.add(TokenDecider.evolve(token(RecordFields.string(event, "token_id")), event));
        }
        List<SpecificRecord> stored = new ArrayList<>();
        next.forEach(state -> state.ifPresent(stored::add));
        return stored;
    }

    private static <V> List<V> prefix(KeyValueStore<String, V> store, String prefix) {
        List<V> found = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(kv -> found.add(kv.value));
        }
        return found;
    }

    private <V> void deletePrefix(KeyValueStore<String, V> store, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(key -> delete(store, key));
    }

    private <V> void put(KeyValueStore<String, V> store, String key, Optional<V> value) {
        if (value.isPresent()) {
            store.put(key, value.get());
            changes.changed(key);
        } else {
            delete(store, key);
        }
    }

    private <V> void delete(KeyValueStore<String, V> store, String key) {
        store.delete(key);
        changes.changed(key);
    }
}
