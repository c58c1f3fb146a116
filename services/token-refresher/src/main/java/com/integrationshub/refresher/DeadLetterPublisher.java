package com.integrationshub.refresher;

import com.integrationshub.runtime.kafka.DeadLetters;
import com.integrationshub.runtime.kafka.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the events the refresher cannot read to the dead-letter topic ({@link DeadLetters}; reader = the consumer
 * group). A partition is replayed from its beginning on every assignment, so each record is reported once per
 * process: a restarted refresher reports an unreadable record again, with the same source topic, partition, offset.
 */
@Singleton
public class DeadLetterPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String reader;
    private final Set<String> reported = new LinkedHashSet<>();
    private final RefresherMetrics metrics;
    private final AutoCloseable producerMetrics;

    public DeadLetterPublisher(
            KafkaSettings kafka,
            RefresherSettings settings,
            ProducerSettings producerSettings,
            RefresherMetrics metrics) {
        final Properties props = kafka.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, producerSettings.maxBlock().toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "token-refresher-dead-letters");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = kafka.deadLettersTopic();
        this.reader = settings.groupId();
        this.metrics = metrics;
        this.producerMetrics = metrics.bind(producer);
    }

    /** Reports the record as unreadable, unless this process reported it already; never throws. */
    public void publish(ConsumerRecord<String, byte[]> record, Throwable reason) {
        final String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        synchronized (reported) {
            if (!reported.add(source)) return;
            if (reported.size() > MAX_REMEMBERED) {
                final Iterator<String> oldest = reported.iterator();
                oldest.next();
                oldest.remove();
            }
        }
        LOG.warn("{} cannot be read ({}); sent to {}", source, reason.getMessage(), topic);
        metrics.deadLetter(record.topic());
        final byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(
                    DeadLetters.of(
                            topic,
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            key,
                            record.value(),
                            reason,
                            reader),
                    (metadata, error) -> {
                        if (error != null)
                            LOG.warn("the dead letter of {} was not written: {}", source, error.toString());
                    });
        } catch (RuntimeException e) {
            LOG.warn("the dead letter of {} was not written: {}", source, e.toString());
        }
    }

    @PreDestroy
    void close() {
        RefresherMetrics.unbind(producerMetrics);
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
