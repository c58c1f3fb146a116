package com.integrationshub.query.pipeline;

import static com.integrationshub.query.pipeline.PipelineFixture.defaultsBody;
import static com.integrationshub.query.pipeline.PipelineFixture.integrationBody;
import static com.integrationshub.query.pipeline.PipelineFixture.mappingBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.integrationshub.query.store.StoreNames;
import com.integrationshub.query.support.Await;
import com.integrationshub.query.support.HubInstance;
import com.integrationshub.testkit.Http;
import com.integrationshub.testkit.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two instances of one deployment split 12 integrations over 3 partitions: every key answers the same from both,
 * a write on one is read on the other at once, and when one instance closes the other keeps answering every key and
 * takes over its tasks without waiting for the closed one's session to expire.
 * The failover step closes an instance, so the steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesTest {

    private static final Logger LOG = LoggerFactory.getLogger(TwoInstancesTest.class);
    private static final int INTEGRATIONS = 12;
    /**
     * Longer than the failover deadline: a closed instance leaves the group, so the survivor takes its tasks at once;
     * one that stayed in the group would hold them until its session expired and fail the failover step.
     */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(90);
    /** Covers the rebalance and the stores' restoration on a loaded machine. */
    private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(45);

    /** The keys answered by gathering every instance's part (the others are answered by one owner). */
    private static final List<String> LISTS =
            List.of("/v1/integrations", "/v1/orgs/org-shared/integrations", "/v1/orgs/org-3/integrations");

    private static HubInstance first;
    private static HubInstance second;
    private static Http onFirst;
    private static Http onSecond;
    private static Map<String, Availability> listsDuringFailover;

    @BeforeAll
    static void start() {
        HubInstance.Deployment deployment =
                HubInstance.Deployment.fresh(Map.of("hub.streams.session-timeout", SESSION_TIMEOUT.toSeconds() + "s"));
        first = HubInstance.start(deployment);
        second = HubInstance.start(deployment);
        onFirst = new Http(first.url(), TestTokens.admin());
        onSecond = new Http(second.url(), TestTokens.admin());
        PipelineFixture.awaitSettled(Duration.ofSeconds(90), first, second);
        Await.ready(onFirst);
        Await.ready(onSecond);
        for (int i = 0; i < INTEGRATIONS; i++) {
            Http writer = i % 2 == 0 ? onFirst : onSecond;
            expect(201, writer.post("/v1/integrations", integrationBody(name(i))));
            expect(
                    200,
                    writer.put(
                            "/v1/integrations/" + name(i) + "/defaults",
                            defaultsBody(Map.of("base_url", "https://" + name(i) + ".example", "timeout", i))));
            expect(
                    201,
                    writer.put(
                            "/v1/integrations/" + name(i) + "/mappings/org-shared",
                            mappingBody("tenant-shared-" + i, Map.of("tier", "gold-" + i))));
            expect(
                    201,
                    writer.put(
                            "/v1/integrations/" + name(i) + "/mappings/org-" + i,
                            mappingBody("tenant-" + i, Map.of("timeout", 100 + i, "api_key", "sk-" + i))));
        }
    }

    @AfterAll
    static void stop() {
        if (first != null) first.close();
        if (second != null) second.close();
    }

    @Test
    @Order(1)
    void shouldSplitTheIntegrationsBetweenBothInstances() {
        Map<Integer, List<String>> owners = owners(first);
        assertEquals(owners, owners(second), "expected both instances to agree on who owns what");
        assertTrue(
                owners.containsKey(first.port()) && owners.containsKey(second.port()),
                "expected both instances to own some of the " + INTEGRATIONS + " integrations, got owners " + owners);
    }

    @Test
    @Order(2)
    void shouldAnswerEveryKeyIdenticallyFromBothInstances() {
        Map<String, Http.Reply> fromFirst = reads(onFirst);
        Map<String, Http.Reply> fromSecond = reads(onSecond);

        List<String> differences = new ArrayList<>();
        for (String path : paths()) {
            Http.Reply a = fromFirst.get(path);
            Http.Reply b = fromSecond.get(path);
            if (a.status() != 200) differences.add(path + ": expected 200 from the first instance, got " + a);
            if (b.status() != 200) differences.add(path + ": expected 200 from the second instance, got " + b);
            if (a.status() == 200
                    && b.status() == 200
                    && (!a.json().equals(b.json()) || !Objects.equals(a.etag(), b.etag()))) {
                differences.add(path + ": expected the same answer from both, got " + a.etag() + " " + a.body()
                        + " and " + b.etag() + " " + b.body());
            }
        }
        assertTrue(
                differences.isEmpty(),
                differences.size() + " of " + paths().size() + " keys did not answer the same "
                        + "from both instances:\n" + String.join("\n", differences));
        assertEquals(
                INTEGRATIONS, fromFirst.get("/v1/integrations").json().size(), "expected every integration listed");
        assertEquals(
                INTEGRATIONS,
                fromFirst.get("/v1/orgs/org-shared/integrations").json().size(),
                "expected every integration in the list of the org mapped to all of them");
    }

    @Test
    @Order(3)
    void shouldReadOnOneInstanceAWriteAnsweredByTheOther() {
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < INTEGRATIONS; i++) {
            Http writer = i % 2 == 0 ? onFirst : onSecond;
            Http reader = i % 2 == 0 ? onSecond : onFirst;
            String name = name(i);
            Http.Reply upsert = writer.put(
                    "/v1/integrations/" + name + "/mappings/org-rw",
                    mappingBody("tenant-rw-" + i, Map.of("timeout", 500 + i)));
            expect(201, upsert);
            Http.Reply mapping = reader.get("/v1/integrations/" + name + "/mappings/org-rw");
            Http.Reply view = reader.get("/v1/orgs/org-rw/integrations/" + name);
            if (mapping.status() != 200 || !"\"1\"".equals(mapping.etag())) {
                misses.add(name + " mapping: expected 200 ETag \"1\", got " + mapping.etag() + " " + mapping);
            }
            if (view.status() != 200
                    || view.json().path("config").path("timeout").asInt() != 500 + i) {
                misses.add(name + " org view: expected timeout " + (500 + i) + ", got " + view);
            }
            Http.Reply defaults = reader.put(
                    "/v1/integrations/" + name + "/defaults",
                    defaultsBody(Map.of("base_url", "https://" + name + ".example/v2", "timeout", i)));
            expect(200, defaults);
            Http.Reply global = writer.get("/v1/integrations/" + name + "/global");
            if (!("https://" + name + ".example/v2")
                    .equals(global.json().path("config").path("base_url").asText())) {
                misses.add(name + " global: expected the new default base_url, got " + global);
            }
        }
        assertTrue(
                misses.isEmpty(),
                "expected every write answered on one instance to be read on the other at once; " + misses.size()
                        + " were not:\n" + String.join("\n", misses));
    }

    @Test
    @Order(4)
    void shouldIgnoreAForwardedMarkSentByAClientAndGatherEveryInstance() {
        // Honoured, the mark would make an instance answer only its own part of a list (and skip routing).
        Map<String, String> forged = Map.of("X-Hub-Forwarded", "1", "X-Hub-Instance-Token", TestTokens.admin());
        List<String> misses = new ArrayList<>();
        for (Http http : List.of(onFirst, onSecond)) {
            for (String list : List.of("/v1/integrations", "/v1/orgs/org-shared/integrations")) {
                for (Map<String, String> headers : List.of(Map.of("X-Hub-Forwarded", "1"), forged)) {
                    Http.Reply reply = http.send("GET", list, null, headers);
                    if (reply.status() != 200 || reply.json().size() != INTEGRATIONS) {
                        misses.add(
                                list + " with " + headers.keySet() + ": expected all " + INTEGRATIONS + " items, got "
                                        + (reply.status() == 200 ? reply.json().size() + " items" : reply.toString()));
                    }
                }
            }
        }
        assertTrue(misses.isEmpty(), "a client's X-Hub-Forwarded must be ignored:\n" + String.join("\n", misses));
    }

    @Test
    @Order(5)
    void shouldKeepAnsweringEveryPointReadFromTheSurvivorWhenOneInstanceCloses() {
        Map<String, Http.Reply> before = reads(onFirst);
        Map<String, Availability> availability = new LinkedHashMap<>();
        paths().forEach(p -> availability.put(p, new Availability()));

        long closedAt = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(second::close);
        Map<String, Http.Reply> last;
        int rounds = 0;
        boolean tookOver;
        while (true) {
            boolean soleOwner = closing.isDone() && soleOwner(first);
            tookOver = soleOwner;
            last = new LinkedHashMap<>();
            for (String path : paths()) {
                Http.Reply reply = onFirst.get(path);
                last.put(path, reply);
                availability.get(path).record(reply, closedAt);
            }
            rounds++;
            boolean allAnswered = last.values().stream().allMatch(r -> r.status() == 200);
            if (soleOwner && allAnswered) break;
            if (System.nanoTime() - closedAt > FAILOVER_DEADLINE.toNanos()) break;
        }
        closing.join();
        long failoverMillis = (System.nanoTime() - closedAt) / 1_000_000;
        Map<String, Availability> failed = new TreeMap<>();
        availability.forEach((path, a) -> {
            if (a.failures > 0) failed.put(path, a);
        });
        LOG.info(
                "failover: survivor sole owner and every read 200 after {} ms ({} rounds of {} reads); longest "
                        + "unavailability of a point read {} ms, of a list {} ms; keys that failed: {}",
                failoverMillis,
                rounds,
                paths().size(),
                longestGap(failed, false),
                longestGap(failed, true),
                failed.isEmpty() ? "none" : failed);
        listsDuringFailover = new TreeMap<>();
        failed.forEach((path, a) -> {
            if (LISTS.contains(path)) listsDuringFailover.put(path, a);
        });

        assertTrue(
                tookOver,
                "expected the survivor to own every task within " + FAILOVER_DEADLINE + " of the close: the closed "
                        + "instance must leave the group, not hold its tasks until its session expires ("
                        + SESSION_TIMEOUT + ")");
        List<String> unanswered = last.entrySet().stream()
                .filter(e -> e.getValue().status() != 200)
                .map(e -> e.getKey() + " -> " + e.getValue())
                .toList();
        assertTrue(
                unanswered.isEmpty(),
                "expected every key to answer 200 from the survivor within " + FAILOVER_DEADLINE + "; still failing:\n"
                        + String.join("\n", unanswered));
        List<String> changed = new ArrayList<>();
        for (String path : paths()) {
            if (!before.get(path).json().equals(last.get(path).json())) {
                changed.add(path + ": expected " + before.get(path).body() + ", got "
                        + last.get(path).body());
            }
        }
        assertTrue(
                changed.isEmpty(),
                "expected the survivor to answer as before the close:\n" + String.join("\n", changed));
        Map<String, Availability> pointReads = new TreeMap<>(failed);
        pointReads.keySet().removeAll(LISTS);
        assertTrue(
                pointReads.isEmpty(),
                "expected every integration, mapping and org view to keep answering 200 "
                        + "while the survivor took over; " + pointReads.size() + " keys did not:\n"
                        + describe(pointReads));
        listsDuringFailover.forEach((path, a) -> assertTrue(
                a.kinds.keySet().stream().allMatch(k -> k.startsWith("503 ")),
                "expected a list that cannot be answered during the failover to answer 503, got " + path + " " + a));
        // Its tasks decide the commands of its partitions: every integration takes a write again.
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < INTEGRATIONS; i++) {
            Http.Reply upsert = onFirst.put(
                    "/v1/integrations/" + name(i) + "/mappings/org-after-failover",
                    mappingBody("tenant-after-" + i, Map.of("timeout", 700 + i)));
            if (upsert.status() != 201) refused.add(name(i) + " -> " + upsert);
        }
        assertTrue(
                refused.isEmpty(),
                "expected the survivor to take a write for every integration after the failover:\n"
                        + String.join("\n", refused));
    }

    @Test
    @Order(6)
    void shouldKeepAnsweringTheListsAcrossIntegrationsFromTheSurvivorWhenOneInstanceCloses() {
        assertTrue(listsDuringFailover != null, "runs after the failover step (order 5), which records the lists");
        assertTrue(
                listsDuringFailover.isEmpty(),
                "expected the lists across integrations to keep answering 200 while " + "the survivor took over; "
                        + listsDuringFailover.size() + " did not:\n" + describe(listsDuringFailover));
    }

    private static long longestGap(Map<String, Availability> failed, boolean lists) {
        return failed.entrySet().stream()
                .filter(e -> LISTS.contains(e.getKey()) == lists)
                .mapToLong(e -> e.getValue().unavailableMillis())
                .max()
                .orElse(0);
    }

    private static String describe(Map<String, Availability> failed) {
        return failed.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n"));
    }

    /** When one key failed to answer 200 during the failover, relative to the close. */
    private static final class Availability {
        int failures;
        long firstFailureMillis = -1;
        long lastFailureMillis = -1;
        final Map<String, Integer> kinds = new TreeMap<>();

        void record(Http.Reply reply, long closedAt) {
            if (reply.status() == 200) return;
            long at = (System.nanoTime() - closedAt) / 1_000_000;
            failures++;
            if (firstFailureMillis < 0) firstFailureMillis = at;
            lastFailureMillis = at;
            kinds.merge(
                    reply.status() + " " + reply.json().path("type").asText("").replaceAll(".*/", ""), 1, Integer::sum);
        }

        long unavailableMillis() {
            return failures == 0 ? 0 : lastFailureMillis - firstFailureMillis;
        }

        @Override
        public String toString() {
            return failures + " failed reads from +" + firstFailureMillis + " ms to +" + lastFailureMillis + " ms "
                    + kinds;
        }
    }

    private static boolean soleOwner(HubInstance instance) {
        KafkaStreams streams = PipelineFixture.streams(instance);
        return streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForAllStreamsClients().size() == 1;
    }

    /** Which instance (by port) owns each integration's view, as this instance's metadata says. */
    private static Map<Integer, List<String>> owners(HubInstance instance) {
        KafkaStreams streams = PipelineFixture.streams(instance);
        Map<Integer, List<String>> owners = new TreeMap<>();
        for (int i = 0; i < INTEGRATIONS; i++) {
            var meta = streams.queryMetadataForKey(StoreNames.INTEGRATIONS_VIEW, name(i), new StringSerializer());
            owners.computeIfAbsent(meta.activeHost().port(), p -> new ArrayList<>())
                    .add(name(i));
        }
        return owners;
    }

    /** Every key: each integration, its mappings, its org views, and the lists across integrations. */
    private static List<String> paths() {
        List<String> paths = new ArrayList<>(LISTS);
        IntStream.range(0, INTEGRATIONS).forEach(i -> {
            String base = "/v1/integrations/" + name(i);
            paths.add(base);
            paths.add(base + "/mappings");
            paths.add(base + "/mappings/org-shared");
            paths.add(base + "/mappings/org-" + i);
            paths.add("/v1/orgs/org-shared/integrations/" + name(i));
            paths.add("/v1/orgs/org-" + i + "/integrations/" + name(i));
        });
        return paths;
    }

    private static Map<String, Http.Reply> reads(Http http) {
        Map<String, Http.Reply> replies = new LinkedHashMap<>();
        for (String path : paths()) replies.put(path, http.get(path));
        return replies;
    }

    private static String name(int i) {
        return "Int-%02d".formatted(i);
    }

    private static void expect(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), "expected " + status + ", got " + reply);
    }
}
