package com.integrationshub.query.streams;

import com.integrationshub.registry.SchemaRegistryException;
import com.integrationshub.runtime.kafka.DeadLetters;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command or event that cannot be read (not the wire format, unknown schema id, undecodable) goes to the dead-letter
 * topic ({@link DeadLetters}), in the same transaction as the consumed offset, and processing goes on. A registry that
 * does not answer is no reason to drop a record: the thread fails and is replaced, and the record is read again.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    /** The Streams property naming the dead-letter topic. */
    public static final String TOPIC_CONFIG = "hub.dead-letters.topic";

    /** The Streams property holding a {@code Consumer<String>} told the source topic of each dead letter (metrics). */
    public static final String COUNTER_CONFIG = "hub.dead-letters.counter";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetters;
    private String reader;
    private Consumer<String> counter = topic -> {};

    @Override
    public void configure(Map<String, ?> configs) {
        this.deadLetters = (String) configs.get(TOPIC_CONFIG);
        this.reader = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
        if (configs.get(COUNTER_CONFIG) instanceof Consumer<?> given) {
            @SuppressWarnings("unchecked")
            Consumer<String> typed = (Consumer<String>) given;
            this.counter = typed;
        }
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (SchemaRegistryException.isUnavailable(exception)) {
            LOG.warn(
                    "cannot read {}-{}@{} while the schema registry does not answer; will read it again",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return Response.fail();
        }
        LOG.warn(
                "{}-{}@{} cannot be read ({}); sent to {}",
                record.topic(),
                record.partition(),
                record.offset(),
                exception.getMessage(),
                deadLetters);
        counter.accept(record.topic());
        return Response.resume(List.of(DeadLetters.of(
                deadLetters,
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                exception,
                reader)));
    }
}
