package com.integrationshub.runtime.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.integrationshub.common.SealedSecret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Seals and opens secret values with a Tink AEAD keyset. The associated data names the aggregate and field a
 * value belongs to, so a ciphertext copied to another place does not open. New values are sealed with the
 * keyset's primary key; values sealed with any older key of the keyset still open (rotation).
 */
public final class SecretBox {

    private final Aead aead;
    private final long primaryKeyId;

    private SecretBox(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.primaryKeyId = Integer.toUnsignedLong(keyset.getPrimary().getId());
    }

    /** A box over a keyset given as Tink's JSON keyset format (cleartext). */
    public static SecretBox fromJsonKeyset(String json) {
        try {
            AeadConfig.register();
            return new SecretBox(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the secrets keyset is not a valid Tink AEAD JSON keyset", e);
        }
    }

    /** Seals a value for the given place (aggregate and field). */
    public SealedSecret seal(String plaintext, String place) {
        try {
            byte[] ciphertext = aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), bytes(place));
            return new SealedSecret(primaryKeyId, ByteBuffer.wrap(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret for " + place, e);
        }
    }

    /** Opens a value sealed for the given place; fails if it was sealed elsewhere or with an unknown key. */
    public String open(SealedSecret sealed, String place) {
        ByteBuffer buffer = sealed.getCiphertext().duplicate();
        byte[] ciphertext = new byte[buffer.remaining()];
        buffer.get(ciphertext);
        try {
            return new String(aead.decrypt(ciphertext, bytes(place)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretNotOpenedException(place);
        }
    }

    private static byte[] bytes(String place) {
        return place.getBytes(StandardCharsets.UTF_8);
    }

    /** A sealed value that this keyset cannot open for that place. */
    public static final class SecretNotOpenedException extends RuntimeException {
        public SecretNotOpenedException(String place) {
            super("a secret sealed for " + place + " does not open with the configured keyset");
        }
    }
}
