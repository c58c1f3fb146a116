package com.integrationshub.query.view;

import com.integrationshub.common.Problem;
import com.integrationshub.domain.Problems;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshFailed;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.query.store.RecordFields;
import com.integrationshub.replies.CommandOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The outcomes an event answers once the views hold it: its command's (keyed by the command id), and for a token's
 * refresh, or a new token, the answer every refresh request waiting on the token watches ({@link RefreshOutcomeKeys}).
 */
public final class EventOutcomes {

    private EventOutcomes() {}

    /**
     * What `event` answers once the views hold it, in the order to publish: its command's accepted outcome, then
     * for a token's refresh or a new token the answer to the token's refresh requests; nothing for an event without a
     * causation id.
     */
    public static List<CommandOutcome> of(SpecificRecord event, Instant decidedAt) {
        Optional<CommandOutcome> applied = applied(event, decidedAt);
        if (applied.isEmpty()) return List.of();
        return refreshAnswer(event, applied.get())
                .map(answer -> List.of(applied.get(), answer))
                .orElseGet(() -> List.of(applied.get()));
    }

    /** The accepted outcome of the command that caused `event`; empty for an event without a causation id. */
    private static Optional<CommandOutcome> applied(SpecificRecord event, Instant decidedAt) {
        String causation = RecordFields.string(event, "causation_id");
        if (causation == null) return Optional.empty();
        return Optional.of(CommandOutcome.newBuilder()
                .setCommandId(causation)
                .setAccepted(true)
                .setAggregateId(RecordFields.string(event, "aggregate_id"))
                .setVersion(RecordFields.number(event, "version"))
                .setEventType(event.getSchema().getName())
                .setCreated(RecordFields.created(event))
                .setDecidedAt(decidedAt)
                .build());
    }

    /**
     * The answer to the token's refresh requests, keyed by {@link RefreshOutcomeKeys#of}, built on the command's
     * outcome `applied`; empty for an event that neither refreshes nor issues a token.
     */
    private static Optional<CommandOutcome> refreshAnswer(SpecificRecord event, CommandOutcome applied) {
        // Every refresh of the token answers whoever waits on it: the request that asked for it and every request
        // that joined it while it was under way (the refresher makes one provider call for all of them). A token
        // issued meanwhile (a client-credentials re-fetch, a new connect) answers them too: it is fresh.
        if (!(event instanceof TokenRefreshed)
                && !(event instanceof TokenRefreshFailed)
                && !(event instanceof TokenIssued)) return Optional.empty();
        CommandOutcome.Builder answer = CommandOutcome.newBuilder(applied)
                .setCommandId(RefreshOutcomeKeys.of(RecordFields.string(event, "token_id")));
        if (event instanceof TokenRefreshFailed failed) {
            answer.setAccepted(false).setProblem(failed.getNeedsReauth() ? reauth(failed) : refreshFailed(failed));
        }
        return Optional.of(answer.build());
    }

    private static Problem reauth(TokenRefreshFailed failed) {
        return Problems.needsReauth("the provider refused the refresh (" + failed.getReason() + "): connect again");
    }

    private static Problem refreshFailed(TokenRefreshFailed failed) {
        return Problem.newBuilder()
                .setType("refresh-failed")
                .setTitle("Bad Gateway")
                .setStatus(502)
                .setDetail("the provider did not refresh the token (" + failed.getReason() + "); retry later")
                .build();
    }
}
