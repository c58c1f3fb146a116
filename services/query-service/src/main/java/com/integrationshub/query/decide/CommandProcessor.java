package com.integrationshub.query.decide;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.CreateOAuthConnection;
import com.integrationshub.commands.DeleteIntegration;
import com.integrationshub.commands.DeleteMapping;
import com.integrationshub.commands.DeleteOAuthConnection;
import com.integrationshub.commands.EndAuthorization;
import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.commands.RecordTokenRefreshFailure;
import com.integrationshub.commands.RemoveIntegrationSpec;
import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.commands.RevokeToken;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.SetIntegrationSpec;
import com.integrationshub.commands.StartAuthorization;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.commands.UpdateOAuthConnection;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.IdempotencyKeys;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.RecordBudget;
import com.integrationshub.domain.credentials.CredentialsDecider;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.domain.oauth.ConnectionDecider;
import com.integrationshub.domain.token.TokenDecider;
import com.integrationshub.query.store.HubState;
import com.integrationshub.query.store.RecordFields;
import com.integrationshub.query.store.StateEpoch;
import com.integrationshub.query.store.StoreChanges;
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.query.view.EventOutcomes;
import com.integrationshub.replies.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each command against the latest state of its aggregate (one writer per partition key: commands are keyed
 * by integration name, or by connection name for OAuth connections and their tokens), appends the events, folds them
 * into the views and answers the command on the outcomes topic, all in one exactly-once transaction: a write is
 * answered as soon as that transaction commits, and a read sees it from then on. Each appended event carries the
 * epoch of the state it was folded into ({@link StateEpoch}), so the view builder does not fold it twice.
 */
public final class CommandProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final IntegrationDecider integrationDecider;
    private final RecordBudget budget;
    private final StoreRetention retention;
    private final Duration refreshMinInterval;
    private final String eventsSink;
    private final String outcomesSink;
    private final DecisionObserver observer;
    private final StoreChanges changes;
    private ProcessorContext<String, SpecificRecord> context;
    private HubState state;
    private StateEpoch epoch;
    private KeyValueStore<String, CommandOutcome> processed;

    public CommandProcessor(
            IntegrationDecider integrationDecider,
            RecordBudget budget,
            StoreRetention retention,
            Duration refreshMinInterval,
            String eventsSink,
            String outcomesSink,
            DecisionObserver observer,
            StoreChanges changes) {
        this.integrationDecider = integrationDecider;
        this.budget = budget;
        this.retention = retention;
        this.refreshMinInterval = refreshMinInterval;
        this.eventsSink = eventsSink;
        this.outcomesSink = outcomesSink;
        this.observer = observer;
        this.changes = changes;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = new HubState(context, changes);
        this.epoch = new StateEpoch(context);
        this.processed = context.getStateStore(StoreNames.PROCESSED_COMMANDS);
        context.schedule(retention.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    /** Forgets command ids past their retention and authorizations past their expiry, so the stores stay bounded. */
    private void sweep(long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs);
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, CommandOutcome> it = processed.all()) {
            it.forEachRemaining(kv -> {
                if (retention.forgotten(kv.value, now)) forgotten.add(kv.key);
            });
        }
        forgotten.forEach(processed::delete);
        int authorizations = state.deleteExpiredAuthorizations(now);
        if (!forgotten.isEmpty() || authorizations > 0) {
            LOG.debug(
                    "forgot {} processed command ids and {} expired authorizations", forgotten.size(), authorizations);
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        context.recordMetadata().ifPresent(UnwritableRecords::processing);
        SpecificRecord command = record.value();
        if (command == null || record.key() == null) return;
        String commandId = RecordFields.string(command, "command_id");
        if (commandId == null) {
            LOG.warn(
                    "ignoring a {} without command_id at key {}",
                    command.getSchema().getName(),
                    record.key());
            return;
        }
        // A keyed command is remembered under its scope, so the same key with another request is seen (422).
        String replayKey = IdempotencyKeys.replayKey(commandId);
        String type = command.getSchema().getName();
        CommandOutcome earlier = processed.get(replayKey);
        if (earlier != null) {
            if (!earlier.getCommandId().equals(commandId)) {
                Problem reused = IdempotencyKeys.reused();
                LOG.info(
                        "command rejected command_id={} type={} key={} status={} reason={}: reuses an idempotency"
                                + " key with a different request",
                        commandId,
                        type,
                        record.key(),
                        reused.getStatus(),
                        reason(reused));
                CommandOutcome refused = CommandOutcome.newBuilder()
                        .setCommandId(commandId)
                        .setAccepted(false)
                        .setProblem(reused)
                        .setDecidedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .build();
                observer.rejected(type, reason(reused), sinceIssued(command, refused.getDecidedAt()));
                context.forward(record.withKey(commandId).withValue(refused), outcomesSink);
                return;
            }
            LOG.info("command repeated command_id={} type={}: answering its first outcome again", commandId, type);
            observer.repeated(type);
            context.forward(record.withKey(commandId).withValue(earlier), outcomesSink);
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Decision decision = decideSafely(record.key(), commandId, command, now);
        CommandOutcome.Builder outcome = CommandOutcome.newBuilder()
                .setCommandId(commandId)
                .setDecidedAt(now)
                .setAccepted(decision.accepted());
        if (decision.accepted()) {
            Headers marked = epoch.marked(record.headers());
            for (SpecificRecord event : decision.events()) {
                state.apply(record.key(), event);
                context.forward(record.withValue(event).withHeaders(marked), eventsSink);
                // Each event answers as the view builder would once it folded it: its command, a token's waiters.
                for (CommandOutcome applied : EventOutcomes.of(event, now)) {
                    context.forward(record.withKey(applied.getCommandId()).withValue(applied), outcomesSink);
                }
            }
            SpecificRecord last = decision.events().get(decision.events().size() - 1);
            outcome.setAggregateId(RecordFields.string(last, "aggregate_id"))
                    .setVersion(RecordFields.number(last, "version"))
                    .setEventType(last.getSchema().getName())
                    .setCreated(RecordFields.created(last));
            processed.put(replayKey, outcome.build());
            observer.accepted(type, sinceIssued(command, now));
            LOG.info(
                    "command accepted command_id={} type={} event={} aggregate_id={} version={}{}",
                    commandId,
                    type,
                    outcome.getEventType(),
                    outcome.getAggregateId(),
                    outcome.getVersion(),
                    org(command));
        } else {
            Problem problem = decision.rejection().orElseThrow();
            CommandOutcome rejected = outcome.setProblem(problem).build();
            processed.put(replayKey, rejected);
            context.forward(record.withKey(commandId).withValue(rejected), outcomesSink);
            observer.rejected(type, reason(problem), sinceIssued(command, now));
            LOG.info(
                    "command rejected command_id={} type={} key={} status={} reason={}{}",
                    commandId,
                    type,
                    record.key(),
                    problem.getStatus(),
                    reason(problem),
                    org(command));
        }
    }

    /** The last segment of the problem's type URI (e.g. {@code conflict}): few values, fit for a metric's label. */
    private static String reason(Problem problem) {
        String type = problem.getType();
        return type == null ? "none" : type.substring(type.lastIndexOf('/') + 1);
    }

    /** From the command's issued_at to {@code decidedAt}; zero when it has none. */
    private static Duration sinceIssued(SpecificRecord command, Instant decidedAt) {
        Instant issued = RecordFields.instant(command, "issued_at");
        return issued == null ? Duration.ZERO : Duration.between(issued, decidedAt);
    }

    /** " org_id=..." for a command of one org, else nothing. */
    private static String org(SpecificRecord command) {
        String org = RecordFields.string(command, "org_id");
        return org == null ? "" : " org_id=" + org;
    }

    /**
     * The decision, bounded by the record budget; a command that throws while being decided, or whose result could
     * not be written before (see {@link UnwritableRecords}), is rejected with a 500 problem instead, so its writer
     * gets an answer and the stream goes on. Failures of Streams itself (a migrated task, a closed store) propagate.
     */
    private Decision decideSafely(String key, String commandId, SpecificRecord command, Instant now) {
        String type = command.getSchema().getName();
        if (context.recordMetadata().map(UnwritableRecords::contains).orElse(false)) {
            LOG.error("command {} {}: its result could not be written to Kafka before; rejecting it", commandId, type);
            return Decision.reject(Problems.internal("the command's result could not be written; nothing was applied"));
        }
        try {
            return budget.admit(decide(command, now), event -> state.after(key, event));
        } catch (StreamsException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("command {} {} failed while being decided; rejecting it", commandId, type, e);
            return Decision.reject(Problems.internal("the command could not be decided; nothing was applied"));
        }
    }

    private Decision decide(SpecificRecord command, Instant now) {
        if (command instanceof CreateIntegration c) {
            return integrationDecider.decide(
                    c, state.integration(c.getName()), state.lastVersion(Names.integrationAggregate(c.getName())), now);
        }
        if (command instanceof UpdateIntegration c) {
            return integrationDecider.decide(c, state.integration(c.getName()), state.mappingsOf(c.getName()), now);
        }
        if (command instanceof SetIntegrationDefaults c) {
            return integrationDecider.decide(c, state.integration(c.getName()), state.mappingsOf(c.getName()), now);
        }
        if (command instanceof SetIntegrationSpec c) {
            return integrationDecider.decide(c, state.integration(c.getName()), now);
        }
        if (command instanceof RemoveIntegrationSpec c) {
            return integrationDecider.decide(c, state.integration(c.getName()), now);
        }
        if (command instanceof DeleteIntegration c) {
            return integrationDecider.decide(c, state.integration(c.getName()), now);
        }
        if (command instanceof UpsertMapping c) {
            return MappingDecider.decide(
                    c,
                    state.integration(c.getIntegrationName()),
                    state.mapping(c.getIntegrationName(), c.getOrgId()),
                    state.lastVersion(Names.mappingAggregate(c.getIntegrationName(), c.getOrgId())),
                    now);
        }
        if (command instanceof DeleteMapping c) {
            return MappingDecider.decide(
                    c,
                    state.integration(c.getIntegrationName()),
                    state.mapping(c.getIntegrationName(), c.getOrgId()),
                    now);
        }
        if (command instanceof SetCredentials c) {
            return CredentialsDecider.decide(
                    c,
                    state.integration(c.getIntegrationName()),
                    state.credentials(c.getIntegrationName(), c.getOrgId()),
                    now);
        }
        if (command instanceof CreateOAuthConnection c) {
            return ConnectionDecider.decide(c, state.connection(c.getConnectionName()), now);
        }
        if (command instanceof UpdateOAuthConnection c) {
            return ConnectionDecider.decide(c, state.connection(c.getConnectionName()), now);
        }
        if (command instanceof DeleteOAuthConnection c) {
            return ConnectionDecider.decide(c, state.connection(c.getConnectionName()), now);
        }
        if (command instanceof StartAuthorization c) {
            return TokenDecider.decide(c, state.connection(c.getConnectionName()), now);
        }
        if (command instanceof EndAuthorization c) {
            return TokenDecider.decide(c, state.authorization(c.getStateHash()), now);
        }
        if (command instanceof IssueToken c) {
            return TokenDecider.decide(
                    c,
                    state.connection(c.getConnectionName()),
                    state.authorization(c.getStateHash()),
                    state.token(c.getTokenId()),
                    now);
        }
        if (command instanceof RecordTokenRefresh c) {
            return TokenDecider.decide(c, state.token(c.getTokenId()), now);
        }
        if (command instanceof RecordTokenRefreshFailure c) {
            return TokenDecider.decide(c, state.token(c.getTokenId()), now);
        }
        if (command instanceof RecordRefreshAttempt c) {
            return TokenDecider.decide(c, state.token(c.getTokenId()), now);
        }
        if (command instanceof RequestTokenRefresh c) {
            return TokenDecider.decide(
                    c, state.connection(c.getConnectionName()), state.token(c.getTokenId()), refreshMinInterval, now);
        }
        if (command instanceof RevokeToken c) {
            return TokenDecider.decide(c, state.token(c.getTokenId()), now);
        }
        return Decision.reject(Problems.invalid(
                "command " + command.getSchema().getName() + " is not handled by this service", List.of()));
    }
}
