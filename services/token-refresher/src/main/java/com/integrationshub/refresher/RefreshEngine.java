package com.integrationshub.refresher;

import com.integrationshub.commands.IssueToken;
import com.integrationshub.commands.RecordRefreshAttempt;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.oauth.client.TokenEndpointClient;
import com.integrationshub.runtime.secrets.SecretBox;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler thread and its inbox. One thread owns all state — the {@link RefreshSchedule} (connections,
 * tokens, due times, provider lanes) and the {@link PartitionHandover} — and the events consumer, the token
 * endpoint client and the producer reach it only through the inbox, so nothing here is locked. The engine does
 * what the schedule asks: token calls through the shared OAuth client ({@link TokenEndpointClient}, with a
 * {@link ProviderCall}), and commands through the {@link CommandSender}.
 *
 * <p>Per partition of the events topic: while it is being replayed, events build state but nothing is scheduled;
 * once replayed it goes live; on revocation it stops scheduling and is released only when its in-flight calls have
 * ended and their commands are acknowledged ({@link #release}).
 */
@Singleton
public class RefreshEngine implements AutoCloseable {

    /** The issued_by of every command the refresher sends. */
    public static final String ISSUED_BY = RefreshCommands.ISSUED_BY;

    private static final Logger LOG = LoggerFactory.getLogger(RefreshEngine.class);
    /** Tasks run between two looks at the due queue, so a long inbox does not delay due tokens. */
    private static final int TASKS_PER_TURN = 1_000;

    private final SecretBox box;
    private final TokenEndpointClient endpoint;
    private final CommandSender commands;
    private final Clock clock;
    private final Duration outcomeTimeout;
    private final Duration pollTimeout;
    private final Semaphore eventBatches;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /**
     * Providers' answers, taken before anything else in the inbox: the time from an answer to its durable record
     * (the provider may have spent the refresh token) does not grow with a replay's event batches.
     */
    private final ConcurrentLinkedQueue<Runnable> answers = new ConcurrentLinkedQueue<>();

    private static final Runnable WAKE = () -> {};
    /** Where the time from a provider's answer to the acknowledgement of its record goes, for the benchmark. */
    private final RecordTimings recordTimings = new RecordTimings(100_000);
    /** From sending an attempt (RecordRefreshAttempt) to the provider call it allows (nanoseconds), for the benchmark. */
    private final LatencySamples attemptToCall = new LatencySamples(100_000);

    private final Thread thread;
    private volatile boolean running;

    private final PartitionHandover handover = new PartitionHandover();
    private final RefreshSchedule schedule;
    private final RefresherMetrics metrics;
    private long calls;

    public RefreshEngine(
            RefreshPolicy policy,
            SecretBox box,
            TokenEndpointClient endpoint,
            CommandSender commands,
            @Named("refresher") Clock clock,
            RefresherSettings settings,
            ConsumerSettings consumer,
            ProviderSettings provider,
            RefresherMetrics metrics) {
        this.box = box;
        this.metrics = metrics;
        this.endpoint = endpoint;
        this.commands = commands;
        this.clock = clock;
        this.outcomeTimeout = settings.outcomeTimeout();
        this.pollTimeout = consumer.pollTimeout();
        this.eventBatches = new Semaphore(consumer.maxPendingBatches());
        this.schedule = new RefreshSchedule(
                policy,
                new RefreshCommands(box),
                new ProviderLanes(provider.maxConcurrency()),
                outcomeTimeout,
                clock,
                handover::live,
                new Effects());
        this.thread = new Thread(this::loop, "token-scheduler");
        this.thread.setDaemon(true);
    }

    /** An event of the events topic and the partition it came from. */
    public record PartitionedEvent(int partition, SpecificRecord event) {}

    /** A snapshot of the schedule, for the refresher endpoint, tests and benchmarks. */
    @Serdeable
    public record Stats(
            int connections,
            int tokens,
            int scheduled,
            int inFlight,
            int queued,
            int awaiting,
            int livePartitions,
            int replayingPartitions,
            long calls,
            long refreshed,
            long failedRounds,
            long refused) {}

    // ------------------------------------------------------------------------------------------ API (any thread)

    /** Starts the scheduler thread. */
    public void start() {
        running = true;
        thread.start();
    }

    /** Hands a polled batch of events over; blocks while too many batches wait (back pressure on the consumer). */
    public void accept(List<PartitionedEvent> batch) throws InterruptedException {
        if (batch.isEmpty()) return;
        while (!eventBatches.tryAcquire(pollTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            if (!running) return;
        }
        submit(() -> {
            try {
                for (PartitionedEvent e : batch) {
                    // An answer that arrives meanwhile waits for one event, not the batch.
                    runAnswers();
                    apply(e.partition(), e.event());
                }
            } finally {
                eventBatches.release();
            }
        });
    }

    /** The consumer now owns these partitions and replays them: state is rebuilt, nothing is scheduled yet. */
    public void assigned(Collection<Integer> assigned) {
        final Set<Integer> copy = Set.copyOf(assigned);
        submit(() -> {
            for (int p : copy) {
                forget(p);
                handover.assigned(p);
            }
        });
    }

    /** A partition has been replayed to the end it had when assigned: its tokens are scheduled from now on. */
    public void replayed(int partition) {
        submit(() -> {
            if (handover.goLive(partition)) schedule.goLive(partition);
        });
    }

    /**
     * Stops scheduling the tokens of these partitions. Completes when none of them has a token call in flight or a
     * command not yet acknowledged, with the tokens whose commands are acknowledged but not yet decided (token id
     * to the version they were made from), so the caller can wait for those outcomes before handing over.
     */
    public CompletableFuture<Map<String, Long>> release(Collection<Integer> released) {
        final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();
        final Set<Integer> copy = Set.copyOf(released);
        if (!submit(() -> {
            handover.startRelease(copy, done);
            schedule.stopScheduling(copy);
            handover.check(schedule::awaiting);
        })) {
            done.complete(Map.of());
        }
        return done;
    }

    /** Forgets the partitions' connections and tokens (revoked after release, or lost). */
    public void drop(Collection<Integer> dropped) {
        final Set<Integer> copy = Set.copyOf(dropped);
        submit(() -> copy.forEach(this::forget));
    }

    /** Returns a snapshot of the schedule. */
    public CompletableFuture<Stats> stats() {
        final CompletableFuture<Stats> stats = new CompletableFuture<>();
        if (!submit(() -> stats.complete(snapshot())))
            stats.completeExceptionally(new IllegalStateException("stopped"));
        return stats;
    }

    /** Returns the schedule's tokens by status, soonest expiry and size (metrics). */
    CompletableFuture<RefreshSchedule.Figures> figures() {
        final CompletableFuture<RefreshSchedule.Figures> figures = new CompletableFuture<>();
        if (!submit(() -> figures.complete(schedule.figures(clock.millis()))))
            figures.completeExceptionally(new IllegalStateException("stopped"));
        return figures;
    }

    /** Stops the scheduler thread; calls in flight are abandoned. */
    @Override
    public void close() {
        if (!running) return;
        running = false;
        thread.interrupt();
        try {
            thread.join(outcomeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean submit(Runnable task) {
        if (!running) return false;
        inbox.add(task);
        return true;
    }

    private void submitAnswer(Runnable task) {
        if (!running) return;
        answers.add(task);
        inbox.add(WAKE);
    }

    private void runAnswers() {
        for (Runnable a = answers.poll(); a != null; a = answers.poll()) run(a);
    }

    /** Returns the answer-to-acknowledgement times recorded so far (nanoseconds), oldest first. */
    public long[] recordLatencies() {
        return recordTimings.total();
    }

    /**
     * Returns the steps of the recorded answers' times (nanoseconds, step name to samples, in order): sealed (on the
     * answering thread), decided (taken by the scheduler thread, the command built), serialised (Avro), sent (handed
     * to the producer), acked (the broker's acknowledgement, acks=all).
     */
    public Map<String, long[]> recordSteps() {
        return recordTimings.steps();
    }

    /** Returns the times from sending a refresh attempt to the provider call it allows (nanoseconds). */
    public long[] attemptToCallLatencies() {
        return attemptToCall.snapshot();
    }

    // ------------------------------------------------------------------------------------------ the loop

    private void loop() {
        while (running) {
            try {
                runAnswers();
                final long now = clock.millis();
                for (TokenEntry t = schedule.pollDue(now); t != null; t = schedule.pollDue(now)) {
                    schedule.fire(t, now);
                    // Starting many due tokens (their attempts sent) does not hold an answer back.
                    runAnswers();
                }
                Runnable task = schedule.scheduled() == 0
                        ? inbox.take()
                        : inbox.poll(Math.max(1, schedule.nextDueAt() - clock.millis()), TimeUnit.MILLISECONDS);
                for (int n = 0; task != null; n++) {
                    runAnswers();
                    run(task);
                    task = n < TASKS_PER_TURN ? inbox.poll() : null;
                }
            } catch (InterruptedException e) {
                if (running) LOG.warn("the scheduler was interrupted; going on");
            } catch (RuntimeException e) {
                LOG.error("a scheduler step failed", e);
            }
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("a scheduler task failed", e);
        }
    }

    private void apply(int partition, SpecificRecord event) {
        try {
            schedule.apply(partition, event);
        } catch (RuntimeException e) {
            LOG.error("cannot apply a {} of partition {}", event.getSchema().getName(), partition, e);
        }
    }

    private void forget(int partition) {
        schedule.forget(partition);
        handover.forget(partition);
    }

    private Stats snapshot() {
        final RefreshSchedule.Counts c = schedule.counts();
        return new Stats(
                c.connections(),
                c.tokens(),
                c.scheduled(),
                c.inFlight(),
                c.queued(),
                c.awaiting(),
                handover.livePartitions(),
                handover.replayingPartitions(),
                calls,
                c.refreshed(),
                c.failedRounds(),
                c.refused());
    }

    // ------------------------------------------------------------------------------------------ doing what the
    // schedule asks

    /** Token calls and commands, each answer back through the inbox. */
    private final class Effects implements RefreshSchedule.Effects {

        @Override
        public void call(RefreshSchedule.Flight flight, String url) {
            final TokenEntry t = flight.token();
            final PartitionHandover.Partition p = handover.callStarted(t.connection.partition);
            final String host = RefresherMetrics.host(url);
            final ProviderCall call;
            try {
                call = ProviderCall.of(t, url, box);
            } catch (SecretBox.SecretNotOpenedException e) {
                LOG.error("token {}: {}", t.tokenId(), e.getMessage());
                final ProviderAnswer unopened = new ProviderAnswer.Retryable("secret_not_opened");
                metrics.answered(host, unopened);
                submit(() -> answered(flight, p, unopened, null));
                return;
            }
            calls++;
            final Long attemptSent = attemptsSent.remove(t);
            if (attemptSent != null) attemptToCall.add(System.nanoTime() - attemptSent);
            final String tokenId = t.tokenId();
            endpoint.request(call.url(), call.client(), call.grant())
                    .thenApply(ProviderAnswer::of)
                    .thenAccept(answer -> {
                        final RecordTimings.Stamp stamp = new RecordTimings.Stamp(System.nanoTime());
                        final ProviderAnswer sealed = sealed(answer, tokenId);
                        stamp.sealed = System.nanoTime();
                        submitAnswer(() -> answered(flight, p, sealed, stamp));
                        metrics.answered(host, answer);
                    });
        }

        /**
         * Seals new tokens on the thread the answer arrived on, not the scheduler's; if that fails, the scheduler
         * seals them (and fails the same way, as before).
         */
        private ProviderAnswer sealed(ProviderAnswer answer, String tokenId) {
            if (!(answer instanceof ProviderAnswer.Granted g)) return answer;
            try {
                return g.sealedFor(box, tokenId);
            } catch (RuntimeException e) {
                return answer;
            }
        }

        /** The stamp of the answer being applied (a new pair), or null: the command it leads to is timed. */
        private RecordTimings.Stamp answerStamp;
        /** When each token's pending attempt was first sent (System.nanoTime), until its call starts. */
        private final Map<TokenEntry, Long> attemptsSent = new WeakHashMap<>();

        @Override
        public void send(TokenEntry t, SpecificRecord command) {
            final PartitionHandover.Partition p = handover.sent(t.connection.partition);
            final boolean outcome = command instanceof RecordTokenRefresh || command instanceof IssueToken;
            final RecordTimings.Stamp stamp = outcome ? answerStamp : null;
            if (stamp != null) {
                answerStamp = null;
                stamp.decided = System.nanoTime();
            } else if (command instanceof RecordRefreshAttempt) attemptsSent.putIfAbsent(t, System.nanoTime());
            commands.send(t.connection.name, command, stamp).whenComplete((ok, error) -> {
                if (error == null && stamp != null) recordTimings.add(stamp, System.nanoTime());
                submit(() -> acked(t, p, command, error));
            });
        }

        @Override
        public void record(TokenEntry t, SpecificRecord command) {
            commands.send(t.connection.name, command).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn(
                            "the refresh of token {} (partition no longer owned) was not recorded: {}",
                            t.tokenId(),
                            error.toString());
                }
            });
        }

        private void answered(
                RefreshSchedule.Flight flight,
                PartitionHandover.Partition p,
                ProviderAnswer answer,
                RecordTimings.Stamp stamp) {
            handover.callEnded(p);
            try {
                answerStamp = answer instanceof ProviderAnswer.Granted ? stamp : null;
                schedule.answered(flight, answer);
            } finally {
                answerStamp = null;
                handover.check(schedule::awaiting);
            }
        }

        private void acked(TokenEntry t, PartitionHandover.Partition p, SpecificRecord command, Throwable error) {
            handover.acked(p);
            if (error != null) {
                LOG.warn(
                        "a command for token {} was not sent ({}); sending it again in {}",
                        t.tokenId(),
                        error.toString(),
                        outcomeTimeout);
            } else {
                schedule.acked(t, command);
            }
            handover.check(schedule::awaiting);
        }
    }
}
