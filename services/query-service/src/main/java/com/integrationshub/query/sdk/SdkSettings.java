package com.integrationshub.query.sdk;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;

/**
 * Generated SDKs (hub.sdk.* in application.yml).
 *
 * @param concurrency how many SDKs are generated at once (each takes a CPU and some memory for seconds)
 * @param queue how many more requests wait for a generation; past that, 503
 * @param cacheBytes the zips kept in memory, by spec digest, language and proxy URL (least recently used go first)
 * @param maxZipBytes the largest SDK made; a document whose SDK is larger answers 422
 * @param workDir where generations write their temporary directories; empty means the JVM's temp directory
 */
@ConfigurationProperties("hub.sdk")
public record SdkSettings(
        @Bindable(defaultValue = "1") int concurrency,
        @Bindable(defaultValue = "4") int queue,
        @Bindable(defaultValue = "67108864") long cacheBytes,
        @Bindable(defaultValue = "33554432") long maxZipBytes,
        @Nullable String workDir) {

    /** The directory generations write under. */
    public Path workPath() {
        String dir = workDir == null || workDir.isBlank() ? System.getProperty("java.io.tmpdir") : workDir;
        return Path.of(dir, "hub-sdk");
    }
}
