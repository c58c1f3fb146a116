package com.integrationshub.query.view;

import com.integrationshub.query.store.HubState;
import com.integrationshub.query.store.RecordFields;
import com.integrationshub.query.store.StateEpoch;
import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.replies.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds into the views the events this partition's state has not decided itself (see {@link StateEpoch}): a log
 * replayed into empty stores, or events appended before the single-hop layout. Once such an event is in the views, its
 * outcome is published in the same transaction, so a waiting request is answered only once a read can see it — unless
 * the event was sent longer ago than a request waits for its outcome (the decision timeout): nobody waits for it any
 * more, and a replay of the log would otherwise publish an outcome for every event of it. The events the command
 * processor decided here are in the views already and are passed over.
 */
public final class ViewProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ViewProcessor.class);

    private final ViewChanges changes;
    private final long answerWindowMs;
    private ProcessorContext<String, SpecificRecord> context;
    private HubState views;
    private StateEpoch epoch;

    public ViewProcessor(ViewChanges changes, Duration decisionTimeout) {
        this.changes = changes;
        this.answerWindowMs = decisionTimeout.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.views = new HubState(context, changes);
        this.epoch = new StateEpoch(context);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord event = record.value();
        if (event == null || record.key() == null || epoch.folded(record.headers())) return;
        context.recordMetadata().ifPresent(UnwritableRecords::processing);
        if (context.recordMetadata().map(UnwritableRecords::contains).orElse(false)) {
            // Its view change was refused by Kafka once; applying it again would abort every transaction after it.
            LOG.error(
                    "skipping event {} of {}: its view change could not be written",
                    RecordFields.string(event, "event_id"),
                    record.key());
            return;
        }
        views.apply(record.key(), event);
        if (context.currentSystemTimeMs() - record.timestamp() > answerWindowMs) return;
        for (CommandOutcome outcome : EventOutcomes.of(event, Instant.ofEpochMilli(record.timestamp()))) {
            context.forward(record.withKey(outcome.getCommandId()).withValue(outcome));
        }
    }
}
