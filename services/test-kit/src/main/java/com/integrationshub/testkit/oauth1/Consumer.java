package com.integrationshub.testkit.oauth1;

import java.security.PublicKey;

/** A registered client: its key, its signature method and its shared secret or (RSA-SHA1) public key. */
record Consumer(String key, String method, String secret, PublicKey publicKey) {

    @Override
    public String toString() {
        return "Consumer[" + key + ", " + method + "]";
    }
}
