package com.integrationshub.refresher;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Starts the refresher once the context is up (topics, scheduler, events consumer) and stops it in the order that
 * hands its tokens over cleanly: the consumer leaves the group first, while the scheduler and producer still run.
 */
@Singleton
public class RefresherLifecycle implements ApplicationEventListener<StartupEvent> {

    private final RefresherTopics topics;
    private final RefreshEngine engine;
    private final TokenEventFeed feed;
    private final CommandSender commands;

    public RefresherLifecycle(
            RefresherTopics topics, RefreshEngine engine, TokenEventFeed feed, CommandSender commands) {
        this.topics = topics;
        this.engine = engine;
        this.feed = feed;
        this.commands = commands;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        topics.ensure();
        commands.warm();
        engine.start();
        feed.start();
    }

    @PreDestroy
    void stop() {
        feed.close();
        engine.close();
        commands.close();
    }
}
