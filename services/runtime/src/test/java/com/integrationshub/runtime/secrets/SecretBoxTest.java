package com.integrationshub.runtime.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.integrationshub.common.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String PLACE = "integration/HaloPSA/defaults/api_key";

    @org.junit.jupiter.api.BeforeAll
    static void registerTink() throws GeneralSecurityException {
        AeadConfig.register();
    }

    @Test
    void shouldOpenWhatItSealedForTheSamePlace() throws Exception {
        SecretBox box = SecretBox.fromJsonKeyset(json(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)));

        SealedSecret sealed = box.seal("sk_live_123", PLACE);

        assertEquals("sk_live_123", box.open(sealed, PLACE));
    }

    @Test
    void shouldNotHoldThePlaintextInTheCiphertext() throws Exception {
        SecretBox box = SecretBox.fromJsonKeyset(json(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)));

        SealedSecret sealed = box.seal("sk_live_123", PLACE);

        assertFalse(
                new String(sealed.getCiphertext().array(), StandardCharsets.ISO_8859_1).contains("sk_live_123"),
                "the ciphertext must not contain the plaintext");
    }

    @Test
    void shouldRefuseToOpenACiphertextCopiedToAnotherPlace() throws Exception {
        SecretBox box = SecretBox.fromJsonKeyset(json(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM)));
        SealedSecret sealed = box.seal("sk_live_123", PLACE);

        assertThrows(
                SecretBox.SecretNotOpenedException.class,
                () -> box.open(sealed, "integration/HaloPSA/mapping/org-1/config/api_key"));
    }

    @Test
    void shouldOpenOldValuesAndSealNewOnesWithTheNewPrimaryAfterRotation() throws Exception {
        KeysetHandle before = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        SecretBox oldBox = SecretBox.fromJsonKeyset(json(before));
        SealedSecret sealedBefore = oldBox.seal("old-secret", PLACE);

        KeysetHandle rotated = KeysetHandle.newBuilder(before)
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId()
                        .makePrimary())
                .build();
        SecretBox newBox = SecretBox.fromJsonKeyset(json(rotated));
        SealedSecret sealedAfter = newBox.seal("new-secret", PLACE);

        assertEquals("old-secret", newBox.open(sealedBefore, PLACE), "a value sealed before rotation still opens");
        assertEquals("new-secret", newBox.open(sealedAfter, PLACE));
        assertNotEquals(
                sealedBefore.getKeyId(), sealedAfter.getKeyId(), "new values are sealed with the new primary key");
        assertEquals(Integer.toUnsignedLong(rotated.getPrimary().getId()), sealedAfter.getKeyId());
        assertThrows(
                SecretBox.SecretNotOpenedException.class,
                () -> oldBox.open(sealedAfter, PLACE),
                "the old keyset does not know the new key");
    }

    @Test
    void shouldExplainAnInvalidKeyset() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SecretBox.fromJsonKeyset("{\"not\": \"a keyset\"}"));
        assertEquals("the secrets keyset is not a valid Tink AEAD JSON keyset", e.getMessage());
    }

    private static String json(KeysetHandle handle) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    }
}
