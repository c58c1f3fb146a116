package com.integrationshub.bench.replay;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The replay's Kafka Streams anchors, each a main class run in its own JVM by {@link FoldClock} (not a test): the
 * least a Kafka Streams application does to read the events topic from its start under exactly-once, configured as the
 * hub's query-service is (exactly-once v2, its stream threads, commit interval and poll wait, producer linger 0,
 * max.task.idle.ms 0), with bytes in and out and no logic:
 * <ul>
 *   <li>{@code --mode read}: every event is read and dropped; Streams commits the offsets in its transactions;</li>
 *   <li>{@code --mode fold}: every event is a get and a put of its bytes in a persistent key-value store (RocksDB,
 *       changelogged, not cached: the hub's view stores), under a key of its own (partition and offset), so every
 *       event writes a changelog record as the hub's fold does.</li>
 * </ul>
 * It runs until it is stopped; it prints "RUNNING after N ms" (since the JVM started) once Streams is running.
 */
public final class StreamsFold {

    private StreamsFold() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        String mode = args.getOrDefault("mode", "fold");
        if (!mode.equals("read") && !mode.equals("fold")) throw new IllegalArgumentException("--mode read|fold");

        Topology topology = new Topology();
        topology.addSource(
                "events", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), args.get("topic"));
        if (mode.equals("read")) {
            topology.addProcessor("drop", Drop::new, "events");
        } else {
            topology.addProcessor("fold", Fold::new, "events");
            topology.addStateStore(
                    Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore("fold"), Serdes.Bytes(), Serdes.ByteArray()),
                    "fold");
        }

        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap"));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args.get("application-id"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, args.get("state-dir"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.parseLong(args.getOrDefault("commit-interval-ms", "20")));
        props.put(StreamsConfig.POLL_MS_CONFIG, Long.parseLong(args.getOrDefault("poll-ms", "10")));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.parseInt(args.getOrDefault("threads", "1")));
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                Integer.parseInt(args.getOrDefault("linger-ms", "0")));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING)
                System.out.printf(
                        "RUNNING after %d ms%n",
                        ManagementFactory.getRuntimeMXBean().getUptime());
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }

    private static final class Drop implements Processor<byte[], byte[], Void, Void> {
        @Override
        public void process(Record<byte[], byte[]> record) {}
    }

    private static final class Fold implements Processor<byte[], byte[], Void, Void> {
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<Bytes, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore("fold");
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            long position = context.recordMetadata()
                    .map(m -> ((long) m.partition() << 48) | m.offset())
                    .orElseThrow();
            Bytes key = Bytes.wrap(ByteBuffer.allocate(8).putLong(position).array());
            store.get(key); // the hub's fold reads the state it then writes; every key here is new
            store.put(key, record.value());
        }
    }
}
