package com.integrationshub.refresher.support;

import com.integrationshub.refresher.RefreshEngine;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One token-refresher (a Micronaut context with its HTTP server) started in the test JVM for a deployment. */
public final class RefresherInstance implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private RefresherInstance(ApplicationContext context) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
    }

    /** Starts an instance of the deployment. */
    public static RefresherInstance start(Deployment deployment) {
        final ApplicationContext context = ApplicationContext.run(EmbeddedServer.class, deployment.properties())
                .getApplicationContext();
        return new RefresherInstance(context);
    }

    /** Returns the instance's base URL, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Returns a snapshot of the instance's schedule. */
    public RefreshEngine.Stats stats() {
        try {
            return context.getBean(RefreshEngine.class).stats().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no stats from the refresher", e);
        }
    }

    /** Returns the instance's answer-to-acknowledgement times of recorded provider answers (nanoseconds). */
    public long[] recordLatencies() {
        return context.getBean(RefreshEngine.class).recordLatencies();
    }

    /** Returns the steps of those times (step name to nanoseconds, in order), see {@link RefreshEngine#recordSteps}. */
    public Map<String, long[]> recordSteps() {
        return context.getBean(RefreshEngine.class).recordSteps();
    }

    /** Returns the times from sending a refresh attempt to the provider call it allows (nanoseconds). */
    public long[] attemptToCallLatencies() {
        return context.getBean(RefreshEngine.class).attemptToCallLatencies();
    }

    /** Stops the instance: it leaves the group, handing its partitions over. */
    @Override
    public void close() {
        if (context.isRunning()) context.close();
    }
}
