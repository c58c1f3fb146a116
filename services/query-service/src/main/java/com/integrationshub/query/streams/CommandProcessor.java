package com.integrationshub.query.streams;

import com.integrationshub.commands.CreateIntegration;
import com.integrationshub.commands.DeleteIntegration;
import com.integrationshub.commands.DeleteMapping;
import com.integrationshub.commands.SetIntegrationDefaults;
import com.integrationshub.commands.UpdateIntegration;
import com.integrationshub.commands.UpsertMapping;
import com.integrationshub.common.Problem;
import com.integrationshub.domain.Decision;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.Problems;
import com.integrationshub.domain.integration.IntegrationDecider;
import com.integrationshub.domain.mapping.MappingDecider;
import com.integrationshub.replies.CommandOutcome;
import com.integrationshub.state.IntegrationState;
import com.integrationshub.state.MappingState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each command against the latest state of its integration (one writer per integration: commands are
 * keyed by integration name), appends the events, and answers rejections and repeats on the outcomes topic.
 */
final class CommandProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

    private final IntegrationDecider integrationDecider;
    private final String eventsSink;
    private final String outcomesSink;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, IntegrationState> integrations;
    private KeyValueStore<String, MappingState> mappings;
    private KeyValueStore<String, CommandOutcome> processed;

    CommandProcessor(IntegrationDecider integrationDecider, String eventsSink, String outcomesSink) {
        this.integrationDecider = integrationDecider;
        this.eventsSink = eventsSink;
        this.outcomesSink = outcomesSink;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.integrations = context.getStateStore(StoreNames.DECIDED_INTEGRATIONS);
        this.mappings = context.getStateStore(StoreNames.DECIDED_MAPPINGS);
        this.processed = context.getStateStore(StoreNames.PROCESSED_COMMANDS);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        SpecificRecord command = record.value();
        if (command == null) return;
        String commandId = RecordFields.string(command, "command_id");
        if (commandId == null) {
            LOG.warn("ignoring a {} without command_id at key {}", command.getSchema().getName(), record.key());
            return;
        }
        CommandOutcome earlier = processed.get(commandId);
        if (earlier != null) {
            LOG.info("command {} was already decided; answering its outcome again", commandId);
            context.forward(record.withKey(commandId).withValue(earlier), outcomesSink);
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Decision decision = decide(command, now);
        CommandOutcome.Builder outcome = CommandOutcome.newBuilder().setCommandId(commandId).setDecidedAt(now)
                .setAccepted(decision.accepted());
        if (decision.accepted()) {
            for (SpecificRecord event : decision.events()) {
                apply(record.key(), event);
                context.forward(record.withValue(event), eventsSink);
            }
            SpecificRecord last = decision.events().get(decision.events().size() - 1);
            outcome.setAggregateId(RecordFields.string(last, "aggregate_id"))
                    .setVersion(RecordFields.number(last, "version"))
                    .setEventType(last.getSchema().getName());
            processed.put(commandId, outcome.build());
            LOG.info("command {} {} accepted: {}", commandId, command.getSchema().getName(), outcome.getEventType());
        } else {
            Problem problem = decision.rejection().orElseThrow();
            CommandOutcome rejected = outcome.setProblem(problem).build();
            processed.put(commandId, rejected);
            context.forward(record.withKey(commandId).withValue(rejected), outcomesSink);
            LOG.info("command {} {} rejected: {} {}", commandId, command.getSchema().getName(),
                    problem.getStatus(), problem.getType());
        }
    }

    private Decision decide(SpecificRecord command, Instant now) {
        if (command instanceof CreateIntegration c) {
            return integrationDecider.decide(c, integration(c.getName()), now);
        }
        if (command instanceof UpdateIntegration c) {
            return integrationDecider.decide(c, integration(c.getName()), mappingsOf(c.getName()), now);
        }
        if (command instanceof SetIntegrationDefaults c) {
            return integrationDecider.decide(c, integration(c.getName()), mappingsOf(c.getName()), now);
        }
        if (command instanceof DeleteIntegration c) {
            return integrationDecider.decide(c, integration(c.getName()), now);
        }
        if (command instanceof UpsertMapping c) {
            return MappingDecider.decide(c, integration(c.getIntegrationName()),
                    mapping(c.getIntegrationName(), c.getOrgId()), now);
        }
        if (command instanceof DeleteMapping c) {
            return MappingDecider.decide(c, integration(c.getIntegrationName()),
                    mapping(c.getIntegrationName(), c.getOrgId()), now);
        }
        return Decision.reject(Problems.invalid(
                "command " + command.getSchema().getName() + " is not handled by this service", List.of()));
    }

    private void apply(String integrationName, SpecificRecord event) {
        ViewUpdates.apply(integrations, mappings, integrationName, event);
    }

    private Optional<IntegrationState> integration(String name) {
        return Optional.ofNullable(integrations.get(name));
    }

    private Optional<MappingState> mapping(String name, String orgId) {
        return Optional.ofNullable(mappings.get(Names.mappingKey(name, orgId)));
    }

    private List<MappingState> mappingsOf(String name) {
        return ViewUpdates.mappingsOf(mappings, name);
    }
}
