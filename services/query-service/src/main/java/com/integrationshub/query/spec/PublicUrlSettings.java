package com.integrationshub.query.spec;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The hub's public address (hub.public-url), the base of the proxy URLs it gives out; empty means the address the
 * service listens on.
 */
@ConfigurationProperties("hub")
public class PublicUrlSettings {

    private String publicUrl;

    /** The configured address without a trailing slash, or null when not set. */
    @Nullable
    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(@Nullable String publicUrl) {
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
    }
}
