package com.integrationshub.refresher.support;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.integrationshub.runtime.secrets.SecretBox;
import java.security.GeneralSecurityException;

/** One Tink AEAD keyset per test JVM, shared by the refreshers under test and the tests that seal and open tokens. */
public final class TestKeys {

    /** The keyset as Tink JSON, for hub.secrets.keyset-json. */
    public static final String KEYSET_JSON = newKeyset();
    /** A box over that keyset. */
    public static final SecretBox BOX = SecretBox.fromJsonKeyset(KEYSET_JSON);

    private TestKeys() {
    }

    private static String newKeyset() {
        try {
            AeadConfig.register();
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
