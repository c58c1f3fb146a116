package com.integrationshub.query.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.integrationshub.query.spec.OrgSpecView;
import com.integrationshub.query.spec.ProviderSpecParser;
import com.integrationshub.testkit.upstream.TicketsStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SdkBuilds without a hub: one generation per zip, a bounded queue, a bounded cache. */
class SdkBuildsTest {

    private static final String PROXY = "https://hub.example/v1/orgs/org-1/integrations/Tickets/proxy";

    @TempDir
    Path work;

    @Test
    void shouldShareOneGenerationAndThenAnswerFromTheCache() throws Exception {
        SdkBuilds builds = new SdkBuilds(new SdkSettings(1, 4, 64 << 20, 32 << 20, work.toString()));
        SdkBuilds.Key key = key("d1", SdkLanguage.PYTHON);

        CompletableFuture<byte[]> first = builds.zip(key, view());
        CompletableFuture<byte[]> second = builds.zip(key, view());
        assertSame(first, second, "a request for a zip being made waits for that generation");
        byte[] zip = first.get();
        assertEquals(1, builds.cached());
        assertArrayEquals(zip, builds.zip(key, view()).get(), "then the cache answers");
        assertTrue(builds.zip(key, view()).isDone(), "at once");
    }

    @Test
    void shouldRefuseAGenerationPastTheQueue() throws Exception {
        SdkBuilds builds = new SdkBuilds(new SdkSettings(1, 1, 64 << 20, 32 << 20, work.toString()));

        // One runs (a Java client takes far longer than these calls), one waits, the third finds no room.
        CompletableFuture<byte[]> running = builds.zip(key("a", SdkLanguage.JAVA), view());
        CompletableFuture<byte[]> waiting = builds.zip(key("b", SdkLanguage.JAVA), view());
        CompletableFuture<byte[]> refused = builds.zip(key("c", SdkLanguage.JAVA), view());

        ExecutionException busy = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(SdkBuilds.BusyException.class, busy.getCause());
        running.get();
        waiting.get();
        assertEquals(2, builds.cached(), "the other two were made");
    }

    @Test
    void shouldDropTheLeastRecentlyUsedZipsPastTheBound() {
        SdkCache<String> cache = new SdkCache<>(10);
        cache.put("a", new byte[4]);
        cache.put("b", new byte[4]);
        cache.get("a");
        cache.put("c", new byte[4]);
        cache.put("huge", new byte[11]);

        assertTrue(cache.get("a").isPresent(), "recently used");
        assertTrue(cache.get("b").isEmpty(), "least recently used, dropped");
        assertTrue(cache.get("c").isPresent());
        assertTrue(cache.get("huge").isEmpty(), "larger than the whole bound: not kept");
        assertEquals(8, cache.bytes());
    }

    private static SdkBuilds.Key key(String digest, SdkLanguage language) {
        return new SdkBuilds.Key(digest, language, PROXY, "Tickets");
    }

    private static ObjectNode view() {
        ProviderSpecParser parser = new ProviderSpecParser(1 << 20, 100, 10, 10, 200);
        return OrgSpecView.of(
                parser.parse(TicketsStandIn.spec().getBytes(StandardCharsets.UTF_8), true)
                        .document(),
                PROXY);
    }
}
