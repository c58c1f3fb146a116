package com.integrationshub.runtime.secrets;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the {@link SecretBox} from hub.secrets.keyset-json or hub.secrets.keyset-file. */
@Factory
public class SecretBoxFactory {

    /** The service's secret box; fails at start, with the settings to fix, when no keyset is configured. */
    @Singleton
    SecretBox secretBox(SecretsSettings settings) throws IOException {
        String keysetJson = settings.keysetJson();
        String keysetFile = settings.keysetFile();
        if (!keysetJson.isBlank()) return SecretBox.fromJsonKeyset(keysetJson);
        if (!keysetFile.isBlank()) return SecretBox.fromJsonKeyset(Files.readString(Path.of(keysetFile)));
        throw new IllegalStateException(
                "no secrets keyset configured: set HUB_KEYSET (Tink JSON keyset) or HUB_KEYSET_FILE (its path)");
    }
}
