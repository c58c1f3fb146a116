package com.integrationshub.refresher.support;

import com.integrationshub.testkit.oauth.ClientAuth;
import com.integrationshub.testkit.oauth.OAuthProviderStandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a refresher test runs against: a provider stand-in with a registered client {@code app} (HTTP Basic,
 * secret {@code app-secret}), a fresh deployment, the command-processor stand-in, and the refresher instances the
 * test starts. Closing it stops them all.
 */
public final class Scenario implements AutoCloseable {

    /** The client id registered at the provider. */
    public static final String CLIENT = "app";
    /** Its secret. */
    public static final String SECRET = "app-secret";

    public final OAuthProviderStandIn provider;
    public final Deployment deployment;
    public final CommandProcessorStandIn hub;
    private final List<RefresherInstance> instances = new ArrayList<>();

    private Scenario(OAuthProviderStandIn provider, Deployment deployment, CommandProcessorStandIn hub) {
        this.provider = provider;
        this.deployment = deployment;
        this.hub = hub;
    }

    /** A scenario on fresh topics of {@code partitions} partitions, with extra refresher properties. */
    public static Scenario start(int partitions, Map<String, Object> extra) {
        final OAuthProviderStandIn provider = OAuthProviderStandIn.start();
        provider.registerClient(CLIENT, SECRET, ClientAuth.BASIC);
        final Deployment deployment = Deployment.fresh(partitions, extra);
        return new Scenario(provider, deployment, CommandProcessorStandIn.start(deployment));
    }

    /** A scenario on fresh topics of three partitions. */
    public static Scenario start() {
        return start(3, Map.of());
    }

    /** Starts a refresher instance of the deployment. */
    public RefresherInstance startRefresher() {
        final RefresherInstance instance = RefresherInstance.start(deployment);
        instances.add(instance);
        return instance;
    }

    /** An authorization-code connection of client {@code app} at the stand-in's token URL. */
    public ConnectionSpec connection(String name) {
        return ConnectionSpec.authorizationCode(name, CLIENT, SECRET, provider.tokenUrl());
    }

    @Override
    public void close() {
        instances.forEach(RefresherInstance::close);
        hub.close();
        provider.close();
    }
}
