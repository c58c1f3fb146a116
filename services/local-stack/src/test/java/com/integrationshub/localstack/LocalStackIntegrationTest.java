package com.integrationshub.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIntegrationTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepLogAndSecretsBetweenRunsAndWriteAVerifiableAdminToken() throws Exception {
        LocalStack.Settings settings = new LocalStack.Settings(0, 0, dataDir, Optional.empty());
        String secret;
        String keyset;
        try (LocalStack stack = LocalStack.start(settings)) {
            secret = stack.secrets().jwtSecret();
            keyset = Files.readString(stack.secrets().keysetFile());
            assertTokenSignedWith(
                    secret, Files.readString(stack.adminTokenFile()).trim());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        try (LocalStack stack = LocalStack.start(settings)) {
            assertEquals(secret, stack.secrets().jwtSecret());
            assertEquals(keyset, Files.readString(stack.secrets().keysetFile()));
            assertTokenSignedWith(
                    secret, Files.readString(stack.adminTokenFile()).trim());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                assertTrue(admin.listTopics().names().get().contains("kept"), "topic of the first run");
            }
        }
    }

    @Test
    void shouldNameHubKafkaPortWhenTheBrokerPortIsInUse() throws Exception {
        try (ServerSocket taken = bindFreePort()) {
            LocalStack.SettingsException e = assertThrows(
                    LocalStack.SettingsException.class,
                    () -> LocalStack.start(
                            new LocalStack.Settings(taken.getLocalPort(), 0, dataDir, Optional.empty())));
            assertEquals(
                    "port " + taken.getLocalPort() + " is in use: set HUB_KAFKA_PORT to a free port", e.getMessage());
        }
    }

    @Test
    void shouldNameHubRegistryPortWhenTheRegistryPortIsInUse() throws Exception {
        try (ServerSocket taken = bindFreePort()) {
            LocalStack.SettingsException e = assertThrows(
                    LocalStack.SettingsException.class,
                    () -> LocalStack.start(
                            new LocalStack.Settings(0, taken.getLocalPort(), dataDir, Optional.empty())));
            assertEquals(
                    "port " + taken.getLocalPort() + " is in use: set HUB_REGISTRY_PORT to a free port",
                    e.getMessage());
        }
    }

    @Test
    void shouldReadSettingsFromTheEnvironmentWithDefaults() {
        LocalStack.Settings defaults = LocalStack.Settings.fromEnv(Map.of());
        assertEquals(9092, defaults.kafkaPort());
        assertEquals(8081, defaults.registryPort());
        assertEquals(Path.of(".local-stack").toAbsolutePath(), defaults.dataDir());
        LocalStack.SettingsException e = assertThrows(
                LocalStack.SettingsException.class,
                () -> LocalStack.Settings.fromEnv(Map.of("HUB_REGISTRY_PORT", "eighty")));
        assertTrue(e.getMessage().contains("HUB_REGISTRY_PORT"), e.getMessage());
    }

    private static void assertTokenSignedWith(String secret, String token) {
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length, token);
        assertArrayEquals(
                AdminToken.hmacSha256(secret, parts[0] + "." + parts[1]),
                Base64.getUrlDecoder().decode(parts[2]));
    }

    private static ServerSocket bindFreePort() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return socket;
    }
}
