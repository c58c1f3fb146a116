package com.integrationshub.bench.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The last event of every partition of the events topic, as {@link EventWriter} wrote them (last-offsets.txt), and
 * whether a consumer group has committed past all of them: under exactly-once a committed offset means what the
 * application made of the records before it is committed too.
 */
final class LogEnd {

    private final Map<TopicPartition, Long> lastOffsets = new HashMap<>();
    private final String bootstrap;

    LogEnd(Path out, String topic, String bootstrap) throws IOException {
        this.bootstrap = bootstrap;
        for (String line : Files.readAllLines(out.resolve("last-offsets.txt"))) {
            if (line.isBlank()) continue;
            String[] parts = line.split("=");
            long last = Long.parseLong(parts[1]);
            if (last >= 0) lastOffsets.put(new TopicPartition(topic, Integer.parseInt(parts[0])), last);
        }
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    /** Whether `group` has committed an offset past the last event of every partition; false when it cannot tell. */
    boolean committedPast(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, Long> last : lastOffsets.entrySet()) {
                OffsetAndMetadata offset = committed.get(last.getKey());
                if (offset == null || offset.offset() <= last.getValue()) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
