package com.integrationshub.refresher;

import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

/** Creates the topics the refresher reads and writes when they are missing. */
@Singleton
public class RefresherTopics implements ApplicationEventListener<StartupEvent> {

    private final KafkaSettings kafka;

    public RefresherTopics(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        TopicProvisioner.ensureTopics(kafka);
    }
}
