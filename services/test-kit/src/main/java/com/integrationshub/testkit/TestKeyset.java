package com.integrationshub.testkit;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;

/** Tink AEAD keysets for the services under test ({@code hub.secrets.keyset-json} / {@code HUB_KEYSET}). */
public final class TestKeyset {

    /** One keyset per test JVM, shared by the instances under test and the tests that seal and open values. */
    public static final String KEYSET_JSON = newKeyset();

    private TestKeyset() {}

    /** Returns a new cleartext JSON keyset with one AES256-GCM key. */
    public static String newKeyset() {
        try {
            AeadConfig.register();
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
