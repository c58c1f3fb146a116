package com.integrationshub.testkit.oauth1;

/** Token credentials the stand-in issued: the access token, its secret and the consumer it belongs to. */
public record IssuedToken(String token, String secret, String consumerKey) {

    @Override
    public String toString() {
        return "IssuedToken[" + token + ", consumer " + consumerKey + "]";
    }
}
