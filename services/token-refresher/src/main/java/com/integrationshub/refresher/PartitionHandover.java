package com.integrationshub.refresher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The partitions of the events topic this instance owns, and their handover. A partition is replayed (its state
 * rebuilt, nothing scheduled), then live (its tokens scheduled), then, once revoked, releasing: nothing new starts
 * and the release completes when none of its token calls is in flight and none of its commands is unacknowledged.
 * Confined to the scheduler thread.
 */
final class PartitionHandover {

    /** One owned partition: its stage, and the token calls and commands still open in it. */
    static final class Partition {
        private boolean live;
        private boolean releasing;
        private int inFlight;
        private int unacked;
    }

    private record Release(Set<Integer> partitions, CompletableFuture<Map<String, Long>> done) {}

    private final Map<Integer, Partition> partitions = new HashMap<>();
    private final List<Release> releases = new ArrayList<>();

    /** The consumer owns the partition (again) and replays it; the caller has forgotten its previous state. */
    void assigned(int partition) {
        partitions.put(partition, new Partition());
    }

    /** The partition is replayed; returns whether it is live now (false when not owned or being released). */
    boolean goLive(int partition) {
        final Partition p = partitions.get(partition);
        if (p == null || p.releasing) return false;
        p.live = true;
        return true;
    }

    /** Returns whether the partition's tokens are scheduled (owned, replayed, not being released). */
    boolean live(int partition) {
        final Partition p = partitions.get(partition);
        return p != null && p.live;
    }

    /**
     * Stops the partitions going on: {@code done} completes (see {@link #check}) once they are quiet, with the tokens
     * whose commands are acknowledged and not yet decided.
     */
    void startRelease(Set<Integer> released, CompletableFuture<Map<String, Long>> done) {
        for (int partition : released) {
            final Partition p = partitions.get(partition);
            if (p == null) continue;
            p.live = false;
            p.releasing = true;
        }
        releases.add(new Release(released, done));
    }

    /** A token call of the partition starts; returns the partition, for {@link #callEnded}. */
    Partition callStarted(int partition) {
        final Partition p = partitions.get(partition);
        p.inFlight++;
        return p;
    }

    /** A token call started in {@code p} has ended. */
    void callEnded(Partition p) {
        p.inFlight--;
    }

    /** A command of the partition is sent; returns the partition (null when not owned), for {@link #acked}. */
    Partition sent(int partition) {
        final Partition p = partitions.get(partition);
        if (p != null) p.unacked++;
        return p;
    }

    /** A command sent in {@code p} is acknowledged, or failed. */
    void acked(Partition p) {
        if (p != null) p.unacked--;
    }

    /** Completes the releases whose partitions are quiet, with what {@code awaiting} says of their tokens. */
    void check(Function<Set<Integer>, Map<String, Long>> awaiting) {
        if (releases.isEmpty()) return;
        for (Iterator<Release> it = releases.iterator(); it.hasNext(); ) {
            final Release r = it.next();
            boolean quiet = true;
            for (int partition : r.partitions()) {
                final Partition p = partitions.get(partition);
                if (p != null && (p.inFlight > 0 || p.unacked > 0)) quiet = false;
            }
            if (!quiet) continue;
            it.remove();
            r.done().complete(awaiting.apply(r.partitions()));
        }
    }

    /** Forgets the partition (revoked after release, lost, or assigned again); a release waiting on it completes empty. */
    void forget(int partition) {
        partitions.remove(partition);
        for (Iterator<Release> it = releases.iterator(); it.hasNext(); ) {
            final Release r = it.next();
            if (r.partitions().contains(partition)) {
                it.remove();
                r.done().complete(Map.of());
            }
        }
    }

    /** Returns how many partitions are live. */
    int livePartitions() {
        return (int) partitions.values().stream().filter(p -> p.live).count();
    }

    /** Returns how many partitions are being replayed. */
    int replayingPartitions() {
        return (int) partitions.values().stream()
                .filter(p -> !p.live && !p.releasing)
                .count();
    }
}
