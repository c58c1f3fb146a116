package com.integrationshub.query.streams;

import com.integrationshub.query.store.UnwritableRecords;
import com.integrationshub.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when Kafka does not take a record the topology produces: a retriable error is retried; any other
 * (a record over the size limit, one that cannot be serialized) marks the source record as
 * {@link UnwritableRecords unwritable} and fails the stream thread, which is then replaced: under exactly-once the
 * transaction is aborted either way, and on the replay the command processor rejects the command instead.
 */
public final class UnwritableResultHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(UnwritableResultHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) return Response.retry();
        return unwritable(context, record, exception);
    }

    @Override
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        if (SchemaRegistryException.isUnavailable(exception)) return Response.fail();
        return unwritable(context, record, exception);
    }

    private static Response unwritable(ErrorHandlerContext context, ProducerRecord<?, ?> record, Exception exception) {
        LOG.error(
                "a record for {} could not be written ({}); the command being processed will be rejected",
                record.topic(),
                exception.toString());
        UnwritableRecords.mark(context.topic(), context.partition(), context.offset());
        return Response.fail();
    }
}
