package com.integrationshub.query.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The README's example consumer of token events compiles as written and sees a token being issued, past an
 * unreadable record ahead of it.
 */
class TokenChangesConsumerExampleTest {

    private static final Pattern EXAMPLE =
            Pattern.compile("## Events for other services.*?```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void shouldCompileTheReadmeExampleAndReceiveATokenIssuedEvent() throws Exception {
        String source = readmeExample();
        Path dir = Files.createTempDirectory("readme-example-");
        Files.writeString(dir.resolve("TokenChangesConsumer.java"), source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(
                null,
                null,
                System.err,
                "-d",
                dir.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                dir.resolve("TokenChangesConsumer.java").toString());
        assertEquals(0, status, "the README example compiles");

        HubInstance.Deployment deployment = HubInstance.Deployment.fresh();
        try (OAuthProviderStandIn provider = OAuthProviderStandIn.start();
                HubInstance hub = HubInstance.start(deployment);
                URLClassLoader loader = new URLClassLoader(
                        new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Http admin = new Http(hub.url(), TestTokens.admin());
            Await.ready(admin);
            produceUnreadableRecord(deployment.eventsTopic());
            List<String> seen = new CopyOnWriteArrayList<>();
            Class<?> type = loader.loadClass("TokenChangesConsumer");
            Object example = type.getConstructor(String.class, String.class, String.class, String.class, Consumer.class)
                    .newInstance(
                            HubTestCluster.shared().bootstrapServers(),
                            HubTestCluster.shared().registryUrl(),
                            deployment.eventsTopic(),
                            HubTestCluster.shared().uniqueName("readme-group"),
                            (Consumer<String>) seen::add);
            Thread thread = new Thread((Runnable) example, "readme-example");
            thread.start();
            try {
                provider.registerClient("svc", "svc-secret", ClientAuth.POST);
                assertEquals(
                        201,
                        admin.post("/v1/oauth/connections", """
                        {"connection_name": "graph", "grant_type": "client_credentials", "client_id": "svc",
                         "client_secret": "svc-secret", "client_auth_method": "client_secret_post",
                         "token_url": "%s", "scopes": ["all"]}""".formatted(provider.tokenUrl()))
                                .status());
                var connect = admin.post("/v1/oauth/connections/graph/connect", "");
                assertEquals(201, connect.status(), connect.toString());

                Await.until(
                        Duration.ofSeconds(30),
                        () -> seen,
                        s -> s.contains("issued graph/*global*"),
                        "the example consumer to see the global token of 'graph' issued");
                assertTrue(provider.tokenCalls(OAuthProviderStandIn.CLIENT_CREDENTIALS) >= 1);
            } finally {
                type.getMethod("stop").invoke(example);
                thread.join(Duration.ofSeconds(10).toMillis());
            }
        }
    }

    /** Bytes that are not the wire format, on the partition the connection 'graph' will use. */
    private static void produceUnreadableRecord(String topic) throws Exception {
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HubTestCluster.shared().bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic,
                            "graph".getBytes(StandardCharsets.UTF_8),
                            "not a record".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static String readmeExample() throws IOException {
        Path readme = Path.of(System.getProperty("user.dir"))
                .resolve("../../README.md")
                .normalize();
        Matcher m = EXAMPLE.matcher(Files.readString(readme));
        assertTrue(m.find(), "README.md has a java block under 'Events for other services'");
        return m.group(1);
    }
}
