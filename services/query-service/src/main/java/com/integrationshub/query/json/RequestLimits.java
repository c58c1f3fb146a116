package com.integrationshub.query.json;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;

/**
 * Size budgets of a request (hub.limits.* in application.yml; defaults from API.md, Conventions): a body over
 * {@code max-body-bytes} answers 413, one value over {@code max-value-bytes} or a list/object over
 * {@code max-entries} answers 422 naming the field, before anything is sent to Kafka.
 */
@Context
@ConfigurationProperties("hub.limits")
public class RequestLimits {

    /** 512 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;
    /** 64 KiB. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;

    public static final int DEFAULT_MAX_ENTRIES = 1000;

    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private int maxEntries = DEFAULT_MAX_ENTRIES;

    /** The largest JSON body a write takes, in bytes (UTF-8); a route with its own budget passes it to JsonBody. */
    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The largest single value (a string, a field name, a json config value), in bytes (UTF-8). */
    public int getMaxValueBytes() {
        return maxValueBytes;
    }

    public void setMaxValueBytes(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** The most entries of one JSON array or object (config keys, schema entries, scopes, headers...). */
    public int getMaxEntries() {
        return maxEntries;
    }

    public void setMaxEntries(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The budgets as a value. */
    public JsonBody.Limits limits() {
        return new JsonBody.Limits(maxBodyBytes, maxValueBytes, maxEntries);
    }

    // JsonBody.parse is static and called by every controller; the configured budgets are handed to it once here
    // (one set of budgets per JVM: the last instance started sets them).
    @PostConstruct
    void apply() {
        JsonBody.use(limits());
    }
}
