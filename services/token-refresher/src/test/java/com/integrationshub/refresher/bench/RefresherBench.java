package com.integrationshub.refresher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.integrationshub.commands.RecordTokenRefresh;
import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.refresher.support.TestKeys;
import com.integrationshub.registry.AvroSerializer;
import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.MintedGrant;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Benchmark of the token refresher (not a test; run by bench/refresher-bench.sh). This JVM runs the broker, the
 * schema registry and the OAuth provider stand-in, writes the connection and token events, and starts the refresher
 * as its own process (its production main class and runtime classpath, a capped heap) so that its heap is measured
 * alone:
 * <ol>
 *   <li>N tokens of a lifetime L (bench.lifetime, 180 s) are written and scheduled: heap used after a full GC
 *       ({@code jcmd GC.run}, then {@code GC.heap_info}) and RSS of the refresher process;</li>
 *   <li>all of them fall due L/2 after they were issued, within the few seconds it took to write them: refreshes
 *       per second from the first to the N-th RecordTokenRefresh read from the commands topic, while nothing else
 *       loads the machine from this side.</li>
 * </ol>
 * Settings (system properties): bench.tokens (100000), bench.lifetime (180 s), bench.connections (100), bench.partitions (6),
 * bench.refresher.heap (256m), bench.provider.concurrency (256), bench.refresher.classpath (required),
 * bench.refresher.log (the refresher's output), bench.refresher.jvm-options (more options for the refresher JVM).
 */
public final class RefresherBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(15);

    private RefresherBench() {}

    public static void main(String[] args) throws Exception {
        final int tokens = Integer.getInteger("bench.tokens", 100_000);
        final Duration lifetime = Duration.ofSeconds(Integer.getInteger("bench.lifetime", 180));
        final int connections = Integer.getInteger("bench.connections", 100);
        final int partitions = Integer.getInteger("bench.partitions", 6);
        final String heap = System.getProperty("bench.refresher.heap", "256m");
        final int concurrency = Integer.getInteger("bench.provider.concurrency", 256);
        final String classpath = required("bench.refresher.classpath");
        final Path log = Path.of(System.getProperty("bench.refresher.log", "target/refresher-bench.log"));

        final HubTestCluster cluster = HubTestCluster.shared();
        final String id = cluster.uniqueName("bench");
        final String events = id + ".events";
        final String commands = id + ".commands";
        cluster.createTopics(partitions, events, commands, id + ".outcomes");
        final SchemaRegistryClient registry = new SchemaRegistryClient(cluster.registryUrl());

        try (OAuthProviderStandIn provider = OAuthProviderStandIn.start()) {
            provider.registerClient("app", "app-secret", ClientAuth.BASIC);
            provider.setExpiresIn(lifetime);

            final long writeStart = System.nanoTime();
            final Instant firstDue = Instant.now().plus(lifetime.dividedBy(2));
            writeTokens(cluster, registry, provider, events, tokens, connections);
            say(
                    "wrote %d connections and %d tokens of %s lifetime in %.1f s; the first falls due at %s",
                    connections, tokens, lifetime, seconds(writeStart), firstDue);

            final int port = freePort();
            final List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx" + heap));
            final String options =
                    System.getProperty("bench.refresher.jvm-options", "").trim();
            if (!options.isEmpty()) command.addAll(List.of(options.split("\\s+")));
            command.addAll(List.of("-cp", classpath, "com.integrationshub.refresher.TokenRefresherApplication"));
            final ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            final Map<String, String> env = builder.environment();
            env.put("HUB_KAFKA_BOOTSTRAP", cluster.bootstrapServers());
            env.put("HUB_REGISTRY_URL", cluster.registryUrl());
            env.put("HUB_EVENTS_TOPIC", events);
            env.put("HUB_COMMANDS_TOPIC", commands);
            env.put("HUB_OUTCOMES_TOPIC", id + ".outcomes");
            env.put("HUB_PARTITIONS", Integer.toString(partitions));
            env.put("HUB_KEYSET", TestKeys.KEYSET_JSON);
            env.put("HUB_JWT_SECRET", TestTokens.SECRET);
            env.put("HUB_REFRESHER_PORT", Integer.toString(port));
            env.put("HUB_REFRESHER_GROUP_ID", id);
            env.put("HUB_REFRESHER_PROVIDER_CONCURRENCY", Integer.toString(concurrency));
            env.put("HUB_REFRESHER_OUTCOME_TIMEOUT", "1h");
            final long processStart = System.nanoTime();
            final Process refresher = builder.start();
            try {
                final String stats = "http://127.0.0.1:" + port + "/refresher";
                awaitStats(
                        refresher,
                        stats,
                        s -> s.get("scheduled").asInt() == tokens
                                && s.get("livePartitions").asInt() == partitions,
                        "every token scheduled");
                final double startSeconds = seconds(processStart);
                final long scheduledHeap = heapAfterGc(refresher.pid());
                final long scheduledRss = rssKb(refresher.pid());
                say(
                        "scheduled %d tokens %.1f s after start: heap after GC %d MiB, RSS %d MiB",
                        tokens, startSeconds, scheduledHeap / 1024, scheduledRss / 1024);

                if (Instant.now().isAfter(firstDue)) say("WARNING: tokens fell due before the heap was measured");

                final Throughput throughput = awaitRefreshes(cluster, registry, commands, partitions, tokens);
                final long afterHeap = heapAfterGc(refresher.pid());
                final double rate = (throughput.count() - 1) / throughput.seconds();
                say(
                        "refreshed %d tokens in %.1f s (first at %s): %.0f refreshes/s; heap after GC with every refresh "
                                + "awaiting its outcome %d MiB; provider calls %d, reused refresh tokens %d",
                        throughput.count(),
                        throughput.seconds(),
                        throughput.first(),
                        rate,
                        afterHeap / 1024,
                        provider.tokenCalls(),
                        provider.reusedRefreshTokens().size());
                System.out.printf(
                        "%nRESULT tokens=%d heap_after_gc_mib=%d rss_mib=%d start_to_scheduled_s=%.1f "
                                + "refreshes_per_s=%.0f heap_after_gc_awaiting_mib=%d reused=%d%n",
                        tokens,
                        scheduledHeap / 1024,
                        scheduledRss / 1024,
                        startSeconds,
                        rate,
                        afterHeap / 1024,
                        provider.reusedRefreshTokens().size());
            } finally {
                refresher.destroy();
                refresher.waitFor();
            }
        }
        System.exit(0);
    }

    private record Throughput(int count, double seconds, Instant first) {}

    /** Writes the connections and N TokenIssued events. */
    private static void writeTokens(
            HubTestCluster cluster,
            SchemaRegistryClient registry,
            OAuthProviderStandIn provider,
            String topic,
            int tokens,
            int connections)
            throws Exception {
        try (KafkaProducer<String, SpecificRecord> producer = producer(cluster, registry)) {
            for (int c = 0; c < connections; c++) {
                final String name = "bench-" + c;
                producer.send(new ProducerRecord<>(
                        topic,
                        name,
                        OAuthConnectionCreated.newBuilder()
                                .setEventId(UUID.randomUUID().toString())
                                .setAggregateId(Names.connectionAggregate(name))
                                .setVersion(1)
                                .setOccurredAt(Instant.now())
                                .setCausationId("bench")
                                .setConnectionName(name)
                                .setGrantType(GrantType.AUTHORIZATION_CODE)
                                .setClientId("app")
                                .setClientSecret(TestKeys.BOX.seal("app-secret", SecretPlaces.clientSecret(name)))
                                .setTokenUrl(provider.tokenUrl())
                                .setScopes(List.of("read"))
                                .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                                .setCreatedAt(Instant.now())
                                .build()));
            }
            for (int i = 0; i < tokens; i++) {
                final String connection = "bench-" + (i % connections);
                final String org = "org-" + i;
                final String tokenId = Names.tokenId(connection, org);
                final MintedGrant grant = provider.mint("app", "read");
                producer.send(new ProducerRecord<>(
                        topic,
                        connection,
                        TokenIssued.newBuilder()
                                .setEventId(UUID.randomUUID().toString())
                                .setAggregateId(Names.tokenAggregate(tokenId))
                                .setVersion(1)
                                .setOccurredAt(Instant.now())
                                .setCausationId("bench")
                                .setTokenId(tokenId)
                                .setConnectionName(connection)
                                .setIntegrationName("integration-" + (i % connections))
                                .setOrgId(org)
                                .setStateHash("bench")
                                .setAccessToken(
                                        TestKeys.BOX.seal(grant.accessToken(), SecretPlaces.accessToken(tokenId)))
                                .setRefreshToken(
                                        TestKeys.BOX.seal(grant.refreshToken(), SecretPlaces.refreshToken(tokenId)))
                                .setExpiresAt(grant.expiresAt())
                                .setIssuedAt(grant.issuedAt())
                                .setEntityId("entity-" + i)
                                .build()));
            }
            producer.flush();
        }
    }

    /** Reads the commands topic from its end until N RecordTokenRefresh commands; times first to last. */
    private static Throughput awaitRefreshes(
            HubTestCluster cluster, SchemaRegistryClient registry, String commands, int partitions, int expected) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final Map<Integer, Boolean> refreshSchemas = new HashMap<>();
        final String refreshName = RecordTokenRefresh.getClassSchema().getFullName();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) all.add(new TopicPartition(commands, p));
            consumer.assign(all);
            consumer.seekToBeginning(all);
            int count = 0;
            long first = 0;
            Instant firstAt = null;
            final long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            while (count < expected) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("only " + count + " refreshes");
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    final int schemaId = ByteBuffer.wrap(record.value(), 1, 4).getInt();
                    if (refreshSchemas.computeIfAbsent(
                            schemaId, i -> registry.schemaById(i).getFullName().equals(refreshName))) {
                        if (count == 0) {
                            first = System.nanoTime();
                            firstAt = Instant.now();
                        }
                        count++;
                    }
                }
            }
            return new Throughput(count, seconds(first), firstAt);
        }
    }

    private static KafkaProducer<String, SpecificRecord> producer(
            HubTestCluster cluster, SchemaRegistryClient registry) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer(registry));
    }

    private static void awaitStats(Process refresher, String url, Predicate<JsonNode> done, String what)
            throws InterruptedException {
        final HttpClient http = HttpClient.newHttpClient();
        final long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            if (!refresher.isAlive())
                throw new IllegalStateException("the refresher exited with " + refresher.exitValue());
            try {
                final HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .GET()
                                .header("Authorization", "Bearer " + TestTokens.admin())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    last = JSON.readTree(response.body());
                    if (done.test(last)) return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + what + "; last: " + last);
    }

    /** Heap used after two full GCs, in KiB, as jcmd reports it. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        final String info = jcmd(pid, "GC.heap_info");
        final Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) throw new IllegalStateException("no heap use in: " + info);
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        final Process jcmd = new ProcessBuilder(javaTool("jcmd"), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        final String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    private static String javaCommand() {
        return javaTool("java");
    }

    private static String javaTool(String tool) {
        final Path home = Path.of(System.getProperty("java.home"));
        final Path path = home.resolve("bin").resolve(tool);
        return Files.isExecutable(path) ? path.toString() : tool;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String required(String property) {
        final String value = System.getProperty(property);
        if (value == null || value.isBlank()) throw new IllegalArgumentException("set -D" + property);
        return value;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
