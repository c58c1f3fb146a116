package com.integrationshub.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Ids derived from the command id, so deciding the same command twice yields the same ids. */
public final class EventIds {

    private EventIds() {}

    /** The id of the n-th event a command yields. */
    public static String event(String commandId, int n) {
        return uuid("event:" + commandId + "#" + n);
    }

    /** The id of a resource created by a command. */
    public static String resource(String kind, String commandId) {
        return uuid(kind + ":" + commandId);
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
