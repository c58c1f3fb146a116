package com.integrationshub.refresher;

import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import jakarta.inject.Singleton;

/** Creates the topics the refresher reads and writes when they are missing. */
@Singleton
public class RefresherTopics {

    private final KafkaSettings kafka;

    public RefresherTopics(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** Creates the commands, events and outcomes topics that do not exist yet. */
    public void ensure() {
        TopicProvisioner.ensureTopics(kafka);
    }
}
