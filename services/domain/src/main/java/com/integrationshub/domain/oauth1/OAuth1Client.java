package com.integrationshub.domain.oauth1;

import java.util.Objects;

/**
 * The client credentials of an OAuth 1.0a connection: the consumer key, the consumer secret (for RSA-SHA1 the PEM
 * private key) and the signature method. {@link #toString()} leaves the secret out.
 */
public record OAuth1Client(String consumerKey, String consumerSecret, SignatureMethod method) {

    public OAuth1Client {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(consumerSecret, "consumerSecret");
        method = method == null ? SignatureMethod.DEFAULT : method;
    }

    @Override
    public String toString() {
        return "OAuth1Client[consumerKey=" + consumerKey + ", method=" + method.wireName() + "]";
    }
}
