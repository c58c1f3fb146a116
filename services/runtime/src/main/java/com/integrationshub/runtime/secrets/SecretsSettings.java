package com.integrationshub.runtime.secrets;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the secrets keyset comes from (hub.secrets.* in application.yml): the JSON itself, else a file holding it.
 * Both default to empty; a service with neither fails at start (see {@link SecretBoxFactory}).
 *
 * @param keysetJson a Tink JSON keyset (HUB_KEYSET)
 * @param keysetFile the path of a file holding one (HUB_KEYSET_FILE)
 */
@ConfigurationProperties("hub.secrets")
public record SecretsSettings(
        @Bindable(defaultValue = "") String keysetJson,
        @Bindable(defaultValue = "") String keysetFile) {}
