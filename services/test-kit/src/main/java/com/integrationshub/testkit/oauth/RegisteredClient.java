package com.integrationshub.testkit.oauth;

import java.util.Set;

/** A client registered with the stand-in: its secret, how it authenticates, and where it may be redirected. */
record RegisteredClient(String id, String secret, ClientAuth auth, Set<String> redirectUris) {}
