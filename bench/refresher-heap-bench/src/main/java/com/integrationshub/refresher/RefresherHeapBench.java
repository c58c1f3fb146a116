package com.integrationshub.refresher;

import com.integrationshub.common.ClientAuthMethod;
import com.integrationshub.common.GrantType;
import com.integrationshub.domain.Names;
import com.integrationshub.domain.SecretPlaces;
import com.integrationshub.domain.token.RefreshPolicy;
import com.integrationshub.events.OAuthConnectionCreated;
import com.integrationshub.events.TokenIssued;
import com.integrationshub.events.TokenRefreshed;
import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.testkit.TestKeyset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import javax.management.ObjectName;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Heap per token scheduled by the refresher (issue 14, item 5); prints figures, it is not a test. Builds the
 * refresher's own {@link RefreshSchedule} with the production defaults (application.yml) and folds into it, through
 * {@link RefreshSchedule#apply} as the engine does, the events a deployment's log holds: OAuth connections, then one
 * {@code TokenIssued} per token and a {@code TokenRefreshed} (rotated refresh token) for a share of them. Each event
 * goes through Avro binary encoding and decoding first, so its strings and byte buffers are the fresh objects the
 * refresher's decoder hands over (nothing is shared by the bench that the decoder would not share). Refresh tokens
 * are sealed with Tink as the hub seals them. Every partition is live, so every token is in the due queue. Heap used
 * is read after full GCs, with an empty schedule (baseline) and with N tokens; then the live class histogram.
 *
 * <p>System properties (defaults): bench.tokens (1000000), bench.connections (200), bench.connections-per-org (20:
 * each org connected to that many of the connections; 1 = every token of its own org), bench.org-ids (short:
 * {@code org-<n>}; uuid), bench.refreshed-share (0.3), bench.refresh-token-chars (64), bench.histogram (25 rows; 0
 * none).
 */
public final class RefresherHeapBench {

    private static final String[] PROVIDERS = {
        "salesforce", "hubspot", "google", "microsoft", "slack", "zendesk", "xero", "quickbooks", "github", "atlassian"
    };
    private static final char[] TOKEN_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final int PARTITIONS = 6;
    private static final SecretBox BOX = SecretBox.fromJsonKeyset(TestKeyset.KEYSET_JSON);

    /** Keeps the schedule reachable while the heap is measured. */
    private static RefreshSchedule held;

    private RefresherHeapBench() {}

    public static void main(String[] args) throws Exception {
        final int tokens = Integer.getInteger("bench.tokens", 1_000_000);
        final int connections = Integer.getInteger("bench.connections", 200);
        final int perOrg = Math.min(connections, Integer.getInteger("bench.connections-per-org", 20));
        final boolean uuidOrgs = "uuid".equals(System.getProperty("bench.org-ids", "short"));
        final double refreshedShare = Double.parseDouble(System.getProperty("bench.refreshed-share", "0.3"));
        final int tokenChars = Integer.getInteger("bench.refresh-token-chars", 64);
        final int histogramRows = Integer.getInteger("bench.histogram", 25);
        final Instant t0 = Instant.now();
        final Clock clock = Clock.fixed(t0, ZoneOffset.UTC);
        final SplittableRandom random = new SplittableRandom(14);

        final RefreshSchedule empty = schedule(clock);
        final long baseline = heapAfterGc();
        held = empty;
        say("empty schedule: heap used after GC %s", mib(baseline));
        held = null;

        final RefreshSchedule schedule = schedule(clock);
        held = schedule;
        final long started = System.nanoTime();
        final String[] names = new String[connections];
        for (int c = 0; c < connections; c++) {
            names[c] = PROVIDERS[c % PROVIDERS.length] + "-" + c;
            // One in ten connections puts the entity id in its token URL (its tokens carry one).
            final String url = c % 10 == 0
                    ? "https://" + names[c] + ".idp.example/{entity_id}/oauth/token"
                    : "https://" + names[c] + ".idp.example/oauth/token";
            schedule.apply(c % PARTITIONS, decoded(connection(names[c], url, t0)));
        }
        long refreshedCount = 0;
        for (int i = 0; i < tokens; i++) {
            final int org = i / perOrg;
            final int c = (int) ((org * 7L + i % perOrg) % connections);
            // Made from the org's number each time: the bench holds no org ids of its own while the heap is measured.
            final String orgId = uuidOrgs
                    ? new UUID(org * 0x9E3779B97F4A7C15L, (org + 1) * 0xC2B2AE3D27D4EB4FL).toString()
                    : "org-" + org;
            final String entityId = c % 10 == 0 ? "entity-" + random.nextInt(1_000_000) : null;
            // Lifetimes of 1, 2 or 8 hours, issued up to half a lifetime ago: due over the next 8 hours.
            final Duration lifetime = Duration.ofHours(new int[] {1, 2, 8}[random.nextInt(3)]);
            final Instant issuedAt = t0.minusMillis(random.nextLong(lifetime.toMillis() / 2));
            final int partition = c % PARTITIONS;
            schedule.apply(
                    partition,
                    decoded(issued(
                            names[c], orgId, entityId, issuedAt, lifetime, refreshToken(random, tokenChars), random)));
            if (random.nextDouble() < refreshedShare) {
                schedule.apply(
                        partition,
                        decoded(refreshed(names[c], orgId, issuedAt, lifetime, refreshToken(random, tokenChars))));
                refreshedCount++;
            }
        }
        final double foldSeconds = (System.nanoTime() - started) / 1e9;
        final RefreshSchedule.Counts counts = schedule.counts();
        final long full = heapAfterGc();
        final double perToken = (double) (full - baseline) / tokens;
        say(
                "folded %,d connections, %,d TokenIssued and %,d TokenRefreshed in %.1f s (encode, decode, fold)",
                connections, tokens, refreshedCount, foldSeconds);
        say(
                "tokens %,d, scheduled (in the due queue) %,d; org ids %s, %d connections per org, refresh tokens of"
                        + " %d chars",
                counts.tokens(), counts.scheduled(), uuidOrgs ? "uuid" : "short", perOrg, tokenChars);
        say("heap used after GC: %s with %,d tokens (baseline %s)", mib(full), tokens, mib(baseline));
        say(
                "per token: %.0f bytes (%.3f KiB); 1,000,000 tokens would take %s over the baseline",
                perToken, perToken / 1024, mib((long) (perToken * 1_000_000)));
        if (histogramRows > 0) histogram(histogramRows);
        Reference.reachabilityFence(schedule);
        Reference.reachabilityFence(empty);
    }

    private static RefreshSchedule schedule(Clock clock) {
        // The production defaults of hub.refresher.* (application.yml).
        final RefreshPolicy policy = new RefreshPolicy(
                new RefreshPolicy.Settings(
                        Duration.ofMinutes(5),
                        Duration.ofSeconds(1),
                        Duration.ofDays(1),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        1.0,
                        5,
                        Duration.ofMinutes(5)),
                new SplittableRandom());
        return new RefreshSchedule(
                policy,
                new RefreshCommands(BOX),
                new ProviderLanes(16),
                Duration.ofSeconds(30),
                clock,
                partition -> true,
                new RefreshSchedule.Effects() {
                    @Override
                    public void call(RefreshSchedule.Flight flight, String url) {
                        throw new IllegalStateException("nothing is due in the bench");
                    }

                    @Override
                    public void send(TokenEntry token, SpecificRecord command) {
                        throw new IllegalStateException("nothing is due in the bench");
                    }

                    @Override
                    public void record(TokenEntry token, SpecificRecord command) {
                        throw new IllegalStateException("nothing is due in the bench");
                    }
                });
    }

    private static OAuthConnectionCreated connection(String name, String tokenUrl, Instant at) {
        return OAuthConnectionCreated.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.connectionAggregate(name))
                .setVersion(1)
                .setOccurredAt(at)
                .setCausationId(UUID.randomUUID().toString())
                .setConnectionName(name)
                .setGrantType(GrantType.AUTHORIZATION_CODE)
                .setClientId("client-" + name)
                .setClientSecret(BOX.seal("secret-" + name, SecretPlaces.clientSecret(name)))
                .setAuthorizationUrl("https://" + name + ".idp.example/authorize")
                .setTokenUrl(tokenUrl)
                .setScopes(List.of("read", "write", "offline_access"))
                .setExtraAuthorizeParams(Map.of())
                .setClientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .setCreatedAt(at)
                .build();
    }

    private static TokenIssued issued(
            String connection,
            String orgId,
            String entityId,
            Instant issuedAt,
            Duration lifetime,
            String refreshToken,
            SplittableRandom random) {
        final String tokenId = Names.tokenId(connection, orgId);
        return TokenIssued.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(1)
                .setOccurredAt(issuedAt)
                .setCausationId(UUID.randomUUID().toString())
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration-" + Math.floorMod(connection.hashCode(), 50))
                .setOrgId(orgId)
                .setStateHash(Long.toHexString(random.nextLong()))
                .setAccessToken(BOX.seal(refreshToken + "-access", SecretPlaces.accessToken(tokenId)))
                .setRefreshToken(BOX.seal(refreshToken, SecretPlaces.refreshToken(tokenId)))
                .setExpiresAt(issuedAt.plus(lifetime))
                .setScopes(List.of("read", "write", "offline_access"))
                .setIssuedAt(issuedAt)
                .setEntityId(entityId)
                .build();
    }

    private static TokenRefreshed refreshed(
            String connection, String orgId, Instant issuedAt, Duration lifetime, String refreshToken) {
        final String tokenId = Names.tokenId(connection, orgId);
        // Refreshed at half its first lifetime: a new lifetime from then.
        final Instant at = issuedAt.plus(lifetime.dividedBy(2));
        return TokenRefreshed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAggregateId(Names.tokenAggregate(tokenId))
                .setVersion(2)
                .setOccurredAt(at)
                .setCausationId(UUID.randomUUID().toString())
                .setTokenId(tokenId)
                .setConnectionName(connection)
                .setIntegrationName("integration-" + Math.floorMod(connection.hashCode(), 50))
                .setOrgId(orgId)
                .setAccessToken(BOX.seal(refreshToken + "-access", SecretPlaces.accessToken(tokenId)))
                .setRefreshToken(BOX.seal(refreshToken, SecretPlaces.refreshToken(tokenId)))
                .setExpiresAt(at.plus(lifetime))
                .setRefreshedAt(at)
                .setRequestId(null)
                .build();
    }

    private static String refreshToken(SplittableRandom random, int chars) {
        final char[] token = new char[chars];
        for (int i = 0; i < chars; i++) token[i] = TOKEN_CHARS[random.nextInt(TOKEN_CHARS.length)];
        return new String(token);
    }

    /** The event after Avro binary encoding and decoding, as the refresher's decoder hands it over. */
    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecordBase> T decoded(T event) {
        final Schema schema = event.getSchema();
        final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<T>(schema).write(event, encoder);
            encoder.flush();
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
            return (T) new SpecificDatumReader<T>(schema).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The live class histogram (a full GC first), as {@code jcmd <pid> GC.class_histogram} prints it: top rows. */
    private static void histogram(int rows) throws Exception {
        final String text = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
        final String[] lines = text.split("\n");
        say("live class histogram, top %d:", rows);
        for (int i = 0; i < Math.min(lines.length, rows + 2); i++) System.out.println("  " + lines[i]);
        System.out.println("  " + lines[lines.length - 1].trim());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void say(String format, Object... args) {
        System.out.println("refresher-heap-bench: " + String.format(Locale.ROOT, format, args));
    }
}
