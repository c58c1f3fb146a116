package com.integrationshub.localstack;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets of a local run, made once in the data dir and kept between runs: the HS256 JWT secret and a
 * cleartext Tink AEAD keyset. Development only: nothing here protects the files beyond owner-only permissions.
 */
public final class DevSecrets {

    /** File name of the JWT secret inside the data dir. */
    public static final String JWT_SECRET_FILE = "jwt-secret";
    /** File name of the Tink keyset inside the data dir. */
    public static final String KEYSET_FILE = "keyset.json";
    /** Smallest HS256 secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(DevSecrets.class);
    private static final int GENERATED_SECRET_BYTES = 48;

    private final String jwtSecret;
    private final Path keysetFile;

    private DevSecrets(String jwtSecret, Path keysetFile) {
        this.jwtSecret = jwtSecret;
        this.keysetFile = keysetFile;
    }

    /**
     * Returns the secrets of {@code dataDir}: the JWT secret is {@code configuredSecret} when present, else the one
     * kept in the data dir (made on first use); the keyset is made on first use.
     */
    public static DevSecrets ensure(Path dataDir, Optional<String> configuredSecret) {
        try {
            Files.createDirectories(dataDir);
            final String secret = configuredSecret.isPresent() ? configuredSecret.get() : ensureJwtSecret(dataDir);
            if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES
                        + " bytes: set HUB_JWT_SECRET to a longer value");
            }
            return new DevSecrets(secret, ensureKeyset(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the secrets in " + dataDir, e);
        }
    }

    /** Returns the HS256 secret; its UTF-8 bytes are the HMAC key. */
    public String jwtSecret() {
        return jwtSecret;
    }

    /** Returns the path of the cleartext Tink keyset (JSON). */
    public Path keysetFile() {
        return keysetFile;
    }

    private static String ensureJwtSecret(Path dataDir) throws IOException {
        final Path file = dataDir.resolve(JWT_SECRET_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        final byte[] random = new byte[GENERATED_SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        final String secret = Base64.getEncoder().encodeToString(random);
        writeOwnerOnly(file, secret + "\n");
        LOG.info("made a new JWT secret in {}", file);
        return secret;
    }

    private static Path ensureKeyset(Path dataDir) throws IOException {
        final Path file = dataDir.resolve(KEYSET_FILE);
        if (Files.exists(file)) {
            return file;
        }
        try {
            AeadConfig.register();
            final KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            writeOwnerOnly(file, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a Tink AES256_GCM keyset", e);
        }
        LOG.info("made a new Tink AEAD keyset in {}", file);
        return file;
    }

    /** Writes {@code content} to {@code file} readable by its owner only, replacing it atomically. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
