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
import com.integrationshub.commands.RequestTokenRefresh;
import com.integrationshub.commands.RevokeToken;
import com.integrationshub.commands.SetCredentials;
import com.integrationshub.commands.SetIntegrationDefaults;
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
import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.store.StoreRetention;
import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.replies.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
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
 * Decides each command against the latest state of its aggregate (one writer per partition key: commands are
 * keyed by integration name, or by connection name for OAuth connections and their tokens), appends the events, and answers rejections and repeats on the outcomes topic.
 */
public final class CommandProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final IntegrationDecider integrationDecider;
    private final RecordBudget budget;
    private final StoreRetention retention;
    private final Duration refreshMinInterval;
    private final String eventsSink;
    private final String outcomesSink;
    private ProcessorContext<String, SpecificRecord> context;
    private HubState state;
    private KeyValueStore<String, CommandOutcome> processed;

    public CommandProcessor(
            IntegrationDecider integrationDecider,
            RecordBudget budget,
            StoreRetention retention,
            Duration refreshMinInterval,
            String eventsSink,
            String outcomesSink) {
        this.integrationDecider = integrationDecider;
        this.budget = budget;
        this.retention = retention;
        this.refreshMinInterval = refreshMinInterval;
        this.eventsSink = eventsSink;
        this.outcomesSink = outcomesSink;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = new HubState(context, StoreNames::decided, StoreNames.LAST_VERSIONS);
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
        CommandOutcome earlier = processed.get(replayKey);
        if (earlier != null) {
            if (!earlier.getCommandId().equals(commandId)) {
                LOG.info("command {} reuses an idempotency key with a different request; refused", commandId);
                CommandOutcome refused = CommandOutcome.newBuilder()
                        .setCommandId(commandId)
                        .setAccepted(false)
                        .setProblem(IdempotencyKeys.reused())
                        .setDecidedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                        .build();
                context.forward(record.withKey(commandId).withValue(refused), outcomesSink);
                return;
            }
            LOG.info("command {} was already decided; answering its outcome again", commandId);
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
            for (SpecificRecord event : decision.events()) {
                state.apply(record.key(), event);
                context.forward(record.withValue(event), eventsSink);
            }
            SpecificRecord last = decision.events().get(decision.events().size() - 1);
            outcome.setAggregateId(RecordFields.string(last, "aggregate_id"))
                    .setVersion(RecordFields.number(last, "version"))
                    .setEventType(last.getSchema().getName())
                    .setCreated(RecordFields.created(last));
            processed.put(replayKey, outcome.build());
            LOG.info(
                    "command {} {} accepted: {}", commandId, command.getSchema().getName(), outcome.getEventType());
        } else {
            Problem problem = decision.rejection().orElseThrow();
            CommandOutcome rejected = outcome.setProblem(problem).build();
            processed.put(replayKey, rejected);
            context.forward(record.withKey(commandId).withValue(rejected), outcomesSink);
            LOG.info(
                    "command {} {} rejected: {} {}",
                    commandId,
                    command.getSchema().getName(),
                    problem.getStatus(),
                    problem.getType());
        }
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
