package com.integrationshub.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** A cluster that never answers (wrong address, or a listener of another protocol) fails the start naming both. */
class TopicProvisionerTest {

    @Test
    void shouldNameTheAddressAndProtocolSettingsWhenNoBrokerAnswers() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaSecurity security = new KafkaSecurity(
                "SASL_PLAINTEXT",
                new KafkaSecurity.Sasl("PLAIN", "hub", "secret"),
                new KafkaSecurity.Ssl("", "", "", "", "", "", "", "", "", "", "https"));
        KafkaSettings settings = new KafkaSettings(
                "127.0.0.1:" + closedPort,
                1,
                (short) 1,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                new KafkaSettings.Topics("c", "e", "o", "d"),
                security);

        var failure = assertThrows(
                IllegalStateException.class,
                () -> TopicProvisioner.create(settings, List.of(new NewTopic("t", 1, (short) 1))));
        assertTrue(failure.getMessage().contains("hub.kafka.bootstrap-servers"), failure.getMessage());
        assertTrue(failure.getMessage().contains("hub.kafka.security.protocol"), failure.getMessage());
        assertTrue(failure.getMessage().contains("SASL_PLAINTEXT"), failure.getMessage());
    }
}
