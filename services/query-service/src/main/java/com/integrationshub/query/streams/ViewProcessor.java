package com.integrationshub.query.streams;

import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Builds the queryable views from the events topic and, once an event is in the view, tells the waiting request:
 * its outcome is committed with the view's changes, so a 2xx is only answered once a read can see it.
 */
final class ViewProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, IntegrationState> integrations;
    private KeyValueStore<String, MappingState> mappings;

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.integrations = context.getStateStore(StoreNames.INTEGRATIONS_VIEW);
        this.mappings = context.getStateStore(StoreNames.MAPPINGS_VIEW);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event == null || record.key() == null) return;
        ViewUpdates.apply(integrations, mappings, record.key(), event);
        String causation = RecordFields.string(event, "causation_id");
        if (causation == null) return;
        CommandOutcome applied = CommandOutcome.newBuilder()
                .setCommandId(causation).setAccepted(true)
                .setAggregateId(RecordFields.string(event, "aggregate_id"))
                .setVersion(RecordFields.number(event, "version"))
                .setEventType(event.getSchema().getName())
                .setDecidedAt(Instant.ofEpochMilli(record.timestamp()))
                .build();
        context.forward(record.withKey(causation).withValue(applied));
    }
}
