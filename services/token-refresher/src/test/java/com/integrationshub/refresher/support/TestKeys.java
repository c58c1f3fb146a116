package com.integrationshub.refresher.support;

import com.integrationshub.runtime.secrets.SecretBox;
import com.integrationshub.testkit.TestKeyset;

/** The test JVM's keyset (test-kit's {@link TestKeyset}) and a box over it, for the tests that seal and open tokens. */
public final class TestKeys {

    /** The keyset as Tink JSON, for hub.secrets.keyset-json. */
    public static final String KEYSET_JSON = TestKeyset.KEYSET_JSON;
    /** A box over that keyset. */
    public static final SecretBox BOX = SecretBox.fromJsonKeyset(KEYSET_JSON);

    private TestKeys() {}
}
