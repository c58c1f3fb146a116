package com.integrationshub.query.route;

import com.integrationshub.domain.Names;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreNotReadyException;
import com.integrationshub.query.streams.HubStreams;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import com.integrationshub.state.TokenState;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the views through interactive queries. Everything of one integration (its state and its mappings) lives in
 * the partition of the integration's name, so one owner answers every read about it.
 */
@Singleton
public class Views {

    private static final StringSerializer KEYS = new StringSerializer();
    private static final Duration RETRY = Duration.ofMillis(50);

    private final HubStreams hub;
    private final Duration storeWait;
    private final String eventsTopic;
    /** When set, the lists read only these partitions (see {@link #onActive} and {@link #onStandbys}). */
    private final Set<Integer> partitions;
    /** The restricted partitions are read from standby copies. */
    private final boolean standbys;

    @Inject
    public Views(HubStreams hub, QuerySettings settings, KafkaSettings kafka) {
        this(hub, settings.storeWait(), kafka.eventsTopic(), null, false);
    }

    private Views(HubStreams hub, Duration storeWait, String eventsTopic, Set<Integer> partitions, boolean standbys) {
        this.hub = hub;
        this.storeWait = storeWait;
        this.eventsTopic = eventsTopic;
        this.partitions = partitions;
        this.standbys = standbys;
    }

    /** The same views, answering {@link StoreNotReadyException} at once instead of waiting for a store. */
    public Views withoutWaiting() {
        return new Views(hub, Duration.ZERO, eventsTopic, partitions, standbys);
    }

    /**
     * The views of these partitions as this instance's active stores hold them: lists read only those partitions,
     * and answer "not ready" (503 after the store wait) while one of them is not active and queryable here. For
     * answering this instance's part of a list the gathering instance planned (see {@link #listPlan}).
     */
    public Views onActive(Set<Integer> partitions) {
        return new Views(hub, storeWait, eventsTopic, Set.copyOf(partitions), false);
    }

    /**
     * The views of other instances' partitions as this instance's standby copies hold them: lists read only those
     * partitions, every read may be stale. For answering another instance's part of a list while it does not answer.
     */
    public Views onStandbys(Set<Integer> partitions) {
        return new Views(hub, storeWait, eventsTopic, Set.copyOf(partitions), true);
    }

    /**
     * Who answers which partition of a list spanning every partition: each partition's active owner, or this
     * instance's standby copy of a partition that has no active owner for the moment (an instance left and the
     * rebalance has not handed its partitions over yet). Waits up to the store wait for every partition to have
     * one of them, then answers "not ready": a list with a partition left out would look complete and be wrong.
     */
    public ListPlan listPlan() {
        long deadline = System.nanoTime() + storeWait.toNanos();
        while (true) {
            KafkaStreams streams = running();
            int count = hub.eventsPartitions();
            Map<HostInfo, Set<Integer>> active = new LinkedHashMap<>();
            Set<Integer> owned = new TreeSet<>();
            Set<Integer> standbyHere = new TreeSet<>();
            for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
                for (TopicPartition tp : m.topicPartitions()) {
                    // A partition two instances claim in a handover is asked of the first only.
                    if (tp.topic().equals(eventsTopic) && owned.add(tp.partition())) {
                        active.computeIfAbsent(m.hostInfo(), h -> new TreeSet<>())
                                .add(tp.partition());
                    }
                }
                if (m.hostInfo().equals(hub.self())) {
                    for (TopicPartition tp : m.standbyTopicPartitions()) {
                        if (tp.topic().equals(eventsTopic)) standbyHere.add(tp.partition());
                    }
                }
            }
            standbyHere.removeAll(owned);
            Set<Integer> missing = new TreeSet<>();
            for (int p = 0; p < count; p++) {
                if (!owned.contains(p) && !standbyHere.contains(p)) missing.add(p);
            }
            if (count > 0 && missing.isEmpty()) return new ListPlan(active, standbyHere);
            pause(deadline, "partitions " + missing + " of the views have no instance answering them yet");
        }
    }

    /** The view partitions (of the events topic) a host is active for, as this instance last heard. */
    public Set<Integer> activePartitions(HostInfo host) {
        return partitions(host, false);
    }

    /** The view partitions this instance holds standby copies of. */
    public Set<Integer> localStandbyPartitions() {
        return partitions(hub.self(), true);
    }

    private Set<Integer> partitions(HostInfo host, boolean standby) {
        Set<Integer> found = new TreeSet<>();
        for (StreamsMetadata m : running().metadataForAllStreamsClients()) {
            if (!m.hostInfo().equals(host)) continue;
            for (TopicPartition tp : standby ? m.standbyTopicPartitions() : m.topicPartitions()) {
                if (tp.topic().equals(eventsTopic)) found.add(tp.partition());
            }
        }
        return found;
    }

    /** Where a read about this integration is answered: here, or the hosts (active first, then standbys) to ask. */
    public Route route(String integrationName) {
        KafkaStreams streams = running();
        HostInfo self = hub.self();
        long deadline = System.nanoTime() + storeWait.toNanos();
        while (true) {
            KeyQueryMetadata meta = streams.queryMetadataForKey(StoreNames.INTEGRATIONS_VIEW, integrationName, KEYS);
            if (meta != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
                if (meta.activeHost().equals(self)) return Route.LOCAL;
                List<HostInfo> hosts = new ArrayList<>();
                hosts.add(meta.activeHost());
                meta.standbyHosts().stream().filter(h -> !h.equals(self)).forEach(hosts::add);
                return new Route(false, hosts, meta.standbyHosts().contains(self));
            }
            pause(deadline, "the views are not assigned yet");
        }
    }

    /** The integration, from this instance's stores (standby copies too when `stale`). */
    public Optional<IntegrationState> integration(String name, boolean stale) {
        return Optional.ofNullable(read(
                StoreNames.INTEGRATIONS_VIEW,
                stale,
                name,
                (ReadOnlyKeyValueStore<String, IntegrationState> s) -> s.get(name)));
    }

    /** The org's mapping of the integration, from this instance's stores. */
    public Optional<MappingState> mapping(String integration, String orgId, boolean stale) {
        String key = Names.mappingKey(integration, orgId);
        return Optional.ofNullable(read(
                StoreNames.MAPPINGS_VIEW,
                stale,
                integration,
                (ReadOnlyKeyValueStore<String, MappingState> s) -> s.get(key)));
    }

    /**
     * Any view entry of a kind (see {@link StoreNames#KINDS}), from this instance's stores: from the partition of
     * `routingKey` (integration or connection name), or from every local partition when it is null.
     */
    public <V> Optional<V> get(String kind, String routingKey, String key, boolean stale) {
        return Optional.ofNullable(
                read(StoreNames.view(kind), stale, routingKey, (ReadOnlyKeyValueStore<String, V> s) -> s.get(key)));
    }

    /** Every entry of a kind whose partition this instance holds. */
    public <V> List<V> localAll(String kind, boolean stale) {
        return readAll(StoreNames.view(kind), stale);
    }

    /** Every mapping of the integration, from this instance's stores. */
    public List<MappingState> mappings(String integration, boolean stale) {
        return read(StoreNames.MAPPINGS_VIEW, stale, integration, (ReadOnlyKeyValueStore<String, MappingState> s) -> {
            List<MappingState> found = new ArrayList<>();
            try (KeyValueIterator<String, MappingState> it = s.prefixScan(Names.mappingPrefix(integration), KEYS)) {
                it.forEachRemaining(kv -> found.add(kv.value));
            }
            return found;
        });
    }

    /** Every token of an OAuth connection (its global one and the orgs'), from this instance's stores. */
    public List<TokenState> tokens(String connectionName, boolean stale) {
        return read(
                StoreNames.view(StoreNames.TOKENS),
                stale,
                connectionName,
                (ReadOnlyKeyValueStore<String, TokenState> s) -> {
                    List<TokenState> found = new ArrayList<>();
                    try (KeyValueIterator<String, TokenState> it = s.prefixScan(connectionName + "/", KEYS)) {
                        it.forEachRemaining(kv -> found.add(kv.value));
                    }
                    return found;
                });
    }

    /** Every integration whose partition this instance holds (active, or standby too when `stale`). */
    public List<IntegrationState> localIntegrations(boolean stale) {
        return readAll(StoreNames.INTEGRATIONS_VIEW, stale);
    }

    /**
     * Every entry of a store: of the partitions this view is limited to, else of every partition this instance is
     * active for. Each partition is read from its own store, so one still restoring (just taken over in a rebalance)
     * makes the read wait, then fail "not ready", instead of being left out of the list.
     */
    private <V> List<V> readAll(String store, boolean stale) {
        return attempt("the views are being restored or rebalanced", streams -> {
            Set<Integer> wanted = partitions != null ? partitions : activePartitions(hub.self());
            List<V> found = new ArrayList<>();
            for (int partition : wanted) {
                StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params = StoreQueryParameters.fromNameAndType(
                                store, QueryableStoreTypes.<String, V>keyValueStore())
                        .withPartition(partition);
                if (stale || standbys) params = params.enableStaleStores();
                try (KeyValueIterator<String, V> it = streams.store(params).all()) {
                    it.forEachRemaining(kv -> found.add(kv.value));
                }
            }
            return found;
        });
    }

    /** Every instance of the application, this one included. */
    public List<HostInfo> allHosts() {
        return running().metadataForAllStreamsClients().stream()
                .map(m -> m.hostInfo())
                .distinct()
                .toList();
    }

    /** This instance. */
    public HostInfo self() {
        return hub.self();
    }

    /**
     * Queries the store; with an integration name, only the store of that integration's partition. A store over all
     * local partitions leaves out one still restoring (e.g. just taken over in a rebalance), so a key there would read
     * as absent (404); the partition's own store is "not ready" until it can answer.
     */
    private <V, R> R read(
            String store, boolean stale, String integrationName, Function<ReadOnlyKeyValueStore<String, V>, R> query) {
        return attempt("the views are being restored or rebalanced", streams -> {
            StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params =
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore());
            if (stale || standbys) params = params.enableStaleStores();
            if (integrationName != null) params = params.withPartition(partitionOf(integrationName));
            return query.apply(streams.store(params));
        });
    }

    /**
     * The view partition of a routing key ({@link ViewPartition}), over the partition count this instance started
     * with: Streams does not support adding partitions to a stateful application's input while it runs.
     */
    private int partitionOf(String routingKey) {
        int partitions = hub.eventsPartitions();
        if (partitions <= 0) throw new InvalidStateStoreException("the views are not assigned yet");
        return ViewPartition.of(routingKey, partitions);
    }

    /** Runs a store query, again while a store is not queryable, until the store wait is over ("not ready"). */
    private <R> R attempt(String why, Function<KafkaStreams, R> query) {
        KafkaStreams streams = running();
        long deadline = System.nanoTime() + storeWait.toNanos();
        while (true) {
            try {
                return query.apply(streams);
            } catch (InvalidStateStoreException e) {
                pause(deadline, why);
            } catch (IllegalStateException e) {
                // Streams left RUNNING after running() was checked (this instance is closing): 503, so a forwarding
                // instance passes over this one as it does a dead one, rather than 500.
                throw new StoreNotReadyException("the views are shutting down on this instance");
            }
        }
    }

    private KafkaStreams running() {
        KafkaStreams streams = hub.streams();
        if (streams == null || !streams.state().isRunningOrRebalancing()) {
            throw new StoreNotReadyException("the views are not running on this instance yet");
        }
        return streams;
    }

    private static void pause(long deadline, String why) {
        if (System.nanoTime() >= deadline) throw new StoreNotReadyException(why);
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreNotReadyException(why);
        }
    }

    /** Who answers which partitions of a list: active owners by host, and this instance's standby copies. */
    public record ListPlan(Map<HostInfo, Set<Integer>> active, Set<Integer> standbyHere) {}

    /** Where to answer a read: here (`local`), or at `hosts` in order; `standbyHere` when a stale copy is local. */
    public record Route(boolean local, List<HostInfo> hosts, boolean standbyHere) {
        static final Route LOCAL = new Route(true, List.of(), false);
    }
}
