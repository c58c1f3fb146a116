package com.integrationshub.query.view;

import com.integrationshub.common.Problem;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.query.store.HubState;
import com.integrationshub.query.store.RecordFields;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.replies.CommandOutcome;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the queryable views from the events topic and, once an event is in the view, tells the waiting request:
 * its outcome is committed with the view's changes, so a 2xx is only answered once a read can see it.
 */
public final class ViewProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ViewProcessor.class);

    private final StoreRetention retention;
    private final ViewChanges changes;
    private ProcessorContext<String, SpecificRecord> context;
    private HubState views;

    public ViewProcessor(StoreRetention retention, ViewChanges changes) {
        this.retention = retention;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.views = new HubState(context, StoreNames::view, changes);
        // The command processor deletes the same authorizations from its decided store on its own clock; a state
        // present but expired in one and absent in the other is refused by both, so the two need not agree exactly.
        context.schedule(
                retention.sweepInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> views.deleteExpiredAuthorizations(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        context.recordMetadata().ifPresent(UnwritableRecords::processing);
        SpecificRecord event = record.value();
        if (event == null || record.key() == null) return;
        if (context.recordMetadata().map(UnwritableRecords::contains).orElse(false)) {
            // Its view change was refused by Kafka once; applying it again would abort every transaction after it.
            LOG.error(
                    "skipping event {} of {}: its view change could not be written",
                    RecordFields.string(event, "event_id"),
                    record.key());
            return;
        }
        views.apply(record.key(), event);
        String causation = RecordFields.string(event, "causation_id");
        if (causation == null) return;
        CommandOutcome.Builder applied = CommandOutcome.newBuilder()
                .setCommandId(causation)
                .setAccepted(true)
                .setAggregateId(RecordFields.string(event, "aggregate_id"))
                .setVersion(RecordFields.number(event, "version"))
                .setEventType(event.getSchema().getName())
                .setCreated(RecordFields.created(event))
                .setDecidedAt(Instant.ofEpochMilli(record.timestamp()));
        context.forward(record.withKey(causation).withValue(applied.build()));
        answerRefreshRequest(record, event, applied);
    }

    private void answerRefreshRequest(
            Record<String, SpecificRecord> record, SpecificRecord event, CommandOutcome.Builder applied) {
        // Every refresh of the token answers whoever waits on it: the request that asked for it and every request
        // that joined it while it was under way (the refresher makes one provider call for all of them). A token
        // issued meanwhile (a client-credentials re-fetch, a new connect) answers them too: it is fresh.
        if (!(event instanceof TokenRefreshed)
                && !(event instanceof TokenRefreshFailed)
                && !(event instanceof TokenIssued)) return;
        String key = RefreshOutcomeKeys.of(RecordFields.string(event, "token_id"));
        applied.setCommandId(key);
        if (event instanceof TokenRefreshFailed failed) {
            applied.setAccepted(false)
                    .setProblem(
                            failed.getNeedsReauth()
                                    ? Problems.needsReauth("the provider refused the refresh (" + failed.getReason()
                                            + "): connect again")
                                    : Problem.newBuilder()
                                            .setType("refresh-failed")
                                            .setTitle("Bad Gateway")
                                            .setStatus(502)
                                            .setDetail("the provider did not refresh the token (" + failed.getReason()
                                                    + "); retry later")
                                            .build());
        }
        context.forward(record.withKey(key).withValue(applied.build()));
    }
}
