package com.integrationshub.query.eventstream;

import com.integrationshub.query.problem.ProblemException;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import io.micronaut.http.sse.Event;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The open events streams of this instance: at most hub.events-stream.max-streams at once, each read by its own
 * consumer on a thread of its own (never the event loop), and ended when its client goes away or the service stops.
 */
@Singleton
public class EventStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

    private final KafkaSettings kafka;
    private final SchemaRegistryClient registry;
    private final EventStreamSettings settings;
    private final Semaphore slots;
    private final ExecutorService threads;
    private final Map<Integer, String> schemaNames = EventStreamSession.newSchemaNames();
    private final Set<EventStreamSession> open = ConcurrentHashMap.newKeySet();

    public EventStreams(KafkaSettings kafka, SchemaRegistryClient registry, EventStreamSettings settings) {
        this.kafka = kafka;
        this.registry = registry;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxStreams());
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                settings.maxStreams(),
                settings.maxStreams(),
                1,
                TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "events-stream-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
    }

    /**
     * A stream of the events of these types (all when empty), from the end or after a resume position, as SSE
     * messages: {@code id} the position after the message, {@code event} the event's type, {@code data} its JSON; a
     * heartbeat is a comment with the position.
     *
     * @throws ProblemException 503 when this instance already serves hub.events-stream.max-streams streams
     */
    public Flux<Event<String>> open(Optional<Set<String>> types, Optional<ResumePosition> start) {
        if (!slots.tryAcquire()) {
            throw ProblemException.unavailable("this instance serves " + settings.maxStreams()
                    + " events streams already (hub.events-stream.max-streams); try again later");
        }
        try {
            return Flux.<Event<String>>create(sink -> start(sink, types, start), FluxSink.OverflowStrategy.BUFFER);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** How many streams are open now. */
    public int openStreams() {
        return settings.maxStreams() - slots.availablePermits();
    }

    private void start(FluxSink<Event<String>> sink, Optional<Set<String>> types, Optional<ResumePosition> start) {
        EventStreamSession[] self = new EventStreamSession[1];
        EventStreamSession session = new EventStreamSession(
                kafka.clientProperties(),
                kafka.eventsTopic(),
                kafka.adminTimeout(),
                registry,
                schemaNames,
                types,
                start,
                settings,
                new SinkOutlet(sink),
                () -> {
                    open.remove(self[0]);
                    slots.release();
                    sink.complete();
                });
        self[0] = session;
        open.add(session);
        try {
            threads.execute(session);
        } catch (RejectedExecutionException e) {
            // The service is shutting down.
            open.remove(session);
            slots.release();
            sink.error(ProblemException.unavailable("the service is shutting down"));
        }
    }

    /** Ends every stream: their clients reconnect, to another instance or to this one once it is back. */
    @PreDestroy
    @Override
    public void close() {
        open.forEach(EventStreamSession::stop);
        threads.shutdown();
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) LOG.warn("events streams still closing at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A session's outlet onto the subscriber of its Flux. */
    private record SinkOutlet(FluxSink<Event<String>> sink) implements EventStreamSession.Outlet {

        @Override
        public boolean open() {
            return !sink.isCancelled();
        }

        @Override
        public boolean wantsMore() {
            return sink.requestedFromDownstream() > 0;
        }

        @Override
        public void send(StreamMessage message) {
            String id = message.position().id();
            Event<String> event = message.type()
                    .map(type -> Event.of(message.json().orElseThrow()).name(type))
                    .orElseGet(() -> Event.of("").comment("heartbeat"));
            sink.next(event.id(id));
        }

        @Override
        public void fail(Throwable error) {
            sink.error(error);
        }
    }
}
