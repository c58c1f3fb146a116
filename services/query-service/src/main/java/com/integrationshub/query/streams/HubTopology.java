package com.integrationshub.query.streams;

import com.integrationshub.domain.RecordBudget;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.query.decide.CommandProcessor;
import com.integrationshub.query.decide.DecisionObserver;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.view.ViewChanges;
import com.integrationshub.query.view.ViewProcessor;
import com.integrationshub.registry.AvroSerde;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.replies.CommandOutcome;
import java.time.Duration;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The query service's topology, one sub-topology over one set of stores: the command processor decides commands,
 * appends their events and folds them into the views; the view builder folds the events decided elsewhere. Commands
 * and events of a key share a partition number, so both processors of a task hold the same partition's state.
 */
public final class HubTopology {

    private HubTopology() {}

    /** Builds the topology over the given topics. */
    public static Topology build(
            String commandsTopic,
            String eventsTopic,
            String outcomesTopic,
            SchemaRegistryClient registry,
            IntegrationDecider decider,
            RecordBudget budget,
            StoreRetention retention,
            Duration refreshMinInterval,
            Duration decisionTimeout,
            DecisionObserver observer,
            ViewChanges changes) {
        return build(
                commandsTopic,
                eventsTopic,
                outcomesTopic,
                registry,
                decider,
                budget,
                retention,
                refreshMinInterval,
                decisionTimeout,
                observer,
                changes,
                Stores::persistentKeyValueStore);
    }

    /**
     * As {@link #build}, with each store (by name) from {@code stores}: the topology tests use in-memory ones, as
     * what they prove is the logic, not RocksDB.
     */
    static Topology build(
            String commandsTopic,
            String eventsTopic,
            String outcomesTopic,
            SchemaRegistryClient registry,
            IntegrationDecider decider,
            RecordBudget budget,
            StoreRetention retention,
            Duration refreshMinInterval,
            Duration decisionTimeout,
            DecisionObserver observer,
            ViewChanges changes,
            Function<String, KeyValueBytesStoreSupplier> stores) {
        Serde<String> keys = Serdes.String();
        Serde<SpecificRecord> records = new AvroSerde(registry);
        Serde<CommandOutcome> outcomes = AvroSerde.of(CommandOutcome.class, registry);

        Topology topology = new Topology();
        topology.addSource("commands", keys.deserializer(), records.deserializer(), commandsTopic);
        topology.addProcessor(
                "command-processor",
                () -> new CommandProcessor(
                        decider,
                        budget,
                        retention,
                        refreshMinInterval,
                        "events-sink",
                        "outcomes-sink",
                        observer,
                        changes),
                "commands");
        topology.addSource("events", keys.deserializer(), records.deserializer(), eventsTopic);
        topology.addProcessor("view-builder", () -> new ViewProcessor(changes, decisionTimeout), "events");

        String[] both = {"command-processor", "view-builder"};
        for (String kind : StoreNames.KINDS) {
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                            stores.apply(StoreNames.view(kind)), keys, serde(StoreNames.stateType(kind), registry)),
                    both);
        }
        topology.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(StoreNames.LAST_VERSIONS), keys, Serdes.Long()), both);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(StoreNames.STATE_EPOCH), keys, Serdes.String()), both);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(stores.apply(StoreNames.PROCESSED_COMMANDS), keys, outcomes),
                "command-processor");
        topology.addSink("events-sink", eventsTopic, keys.serializer(), records.serializer(), "command-processor");
        topology.addSink(
                "outcomes-sink",
                outcomesTopic,
                keys.serializer(),
                records.serializer(),
                "command-processor",
                "view-builder");
        return topology;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serde<T> serde(
            Class<? extends SpecificRecord> type, SchemaRegistryClient registry) {
        return AvroSerde.of((Class<T>) type, registry);
    }
}
