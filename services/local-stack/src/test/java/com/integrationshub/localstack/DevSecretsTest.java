package com.integrationshub.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldMakeSecretsOnceAndKeepThem() throws Exception {
        DevSecrets first = DevSecrets.ensure(dataDir, Optional.empty());
        String keyset = Files.readString(first.keysetFile());
        DevSecrets second = DevSecrets.ensure(dataDir, Optional.empty());
        assertEquals(first.jwtSecret(), second.jwtSecret());
        assertEquals(keyset, Files.readString(second.keysetFile()));
        assertTrue(Base64.getDecoder().decode(first.jwtSecret()).length >= 32, "at least 32 random bytes");
    }

    @Test
    void shouldMakeAnAes256GcmKeysetThatSealsAndOpens() throws Exception {
        AeadConfig.register();
        DevSecrets secrets = DevSecrets.ensure(dataDir, Optional.empty());
        KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(
                Files.readString(secrets.keysetFile()), InsecureSecretKeyAccess.get());
        Parameters parameters = handle.getPrimary().getKey().getParameters();
        assertTrue(
                parameters instanceof AesGcmParameters p && p.getKeySizeBytes() == 32,
                "expected AES256_GCM, got " + parameters);
        Aead aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        byte[] plain = "token".getBytes(StandardCharsets.UTF_8);
        byte[] ad = "aggregate/field".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(plain, aead.decrypt(aead.encrypt(plain, ad), ad));
    }

    @Test
    void shouldUseTheConfiguredSecretWithoutWritingOne() {
        String configured = "x".repeat(40);
        DevSecrets secrets = DevSecrets.ensure(dataDir, Optional.of(configured));
        assertEquals(configured, secrets.jwtSecret());
        assertFalse(Files.exists(dataDir.resolve(DevSecrets.JWT_SECRET_FILE)));
    }

    @Test
    void shouldRejectASecretShorterThan32BytesNamingTheVariable() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DevSecrets.ensure(dataDir, Optional.of("short")));
        assertTrue(e.getMessage().contains("HUB_JWT_SECRET"), e.getMessage());
    }
}
