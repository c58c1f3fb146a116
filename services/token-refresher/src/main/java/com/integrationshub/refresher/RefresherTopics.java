package com.integrationshub.refresher;

import com.integrationshub.registry.SchemaRegistryClient;
import com.integrationshub.runtime.kafka.KafkaSettings;
import com.integrationshub.runtime.kafka.TopicProvisioner;
import com.integrationshub.runtime.registry.RegistryLogin;
import jakarta.inject.Singleton;

/**
 * Creates the topics the refresher reads and writes when they are missing, and checks that the registry takes the
 * refresher's login: the start's first calls to the cluster and the registry, where wrong credentials stop it.
 */
@Singleton
public class RefresherTopics {

    private final KafkaSettings kafka;
    private final SchemaRegistryClient registry;

    public RefresherTopics(KafkaSettings kafka, SchemaRegistryClient registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Creates the commands, events and outcomes topics that do not exist yet, then checks the registry's login. */
    public void ensure() {
        TopicProvisioner.ensureTopics(kafka);
        RegistryLogin.check(registry);
    }
}
