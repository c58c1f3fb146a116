package com.integrationshub.runtime.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record of a record that could not be read. Its key and value are the unreadable record's bytes
 * (the value left out, null, when over {@link #MAX_KEPT_BYTES}, so the dead letter itself always fits); its headers,
 * all UTF-8 strings, say where it came from and why:
 * {@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET} (decimal), {@value #REASON} (the
 * failure's message, at most 1,000 characters), {@value #EXCEPTION} (the failure's class), {@value #READER} (the
 * consumer that could not read it: a Streams application id or a consumer group), and {@value #VALUE_BYTES} (the
 * size of the unreadable value).
 */
public final class DeadLetters {

    public static final String SOURCE_TOPIC = "hub.dead-letter.topic";
    public static final String SOURCE_PARTITION = "hub.dead-letter.partition";
    public static final String SOURCE_OFFSET = "hub.dead-letter.offset";
    public static final String REASON = "hub.dead-letter.reason";
    public static final String EXCEPTION = "hub.dead-letter.exception";
    public static final String READER = "hub.dead-letter.reader";
    public static final String VALUE_BYTES = "hub.dead-letter.value-bytes";
    /** Unreadable values up to this size are kept in the dead letter; larger ones are left out. */
    public static final int MAX_KEPT_BYTES = 256 * 1024;

    private static final int MAX_REASON_CHARS = 1000;

    private DeadLetters() {}

    /** The dead letter of the record at topic-partition@offset that `reader` could not read because of `failure`. */
    public static ProducerRecord<byte[], byte[]> of(
            String deadLettersTopic,
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Throwable failure,
            String reader) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_TOPIC, utf8(topic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
        headers.add(REASON, utf8(reason(failure)));
        headers.add(
                EXCEPTION, utf8(failure == null ? "unknown" : failure.getClass().getName()));
        headers.add(READER, utf8(reader));
        headers.add(VALUE_BYTES, utf8(Integer.toString(value == null ? 0 : value.length)));
        byte[] keptKey = key != null && key.length <= MAX_KEPT_BYTES ? key : null;
        byte[] keptValue = value != null && value.length <= MAX_KEPT_BYTES ? value : null;
        return new ProducerRecord<>(deadLettersTopic, null, null, keptKey, keptValue, headers);
    }

    /** The UTF-8 text of a header of a dead letter, or null when it has none. */
    public static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String reason(Throwable failure) {
        String message = failure == null || failure.getMessage() == null ? "unreadable record" : failure.getMessage();
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS) + "…";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
