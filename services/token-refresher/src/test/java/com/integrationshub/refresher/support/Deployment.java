package com.integrationshub.refresher.support;

import com.integrationshub.testkit.HubTestCluster;
import com.integrationshub.testkit.TestTokens;
import java.util.HashMap;
import java.util.Map;

/**
 * Fresh topics and a fresh consumer group on the shared test cluster, and the refresher settings of a test; the
 * refresher instances started from one deployment share the group, so they split the partitions.
 *
 * @param properties    the Micronaut properties of an instance
 * @param eventsTopic   the events topic
 * @param commandsTopic the commands topic
 * @param partitions    partitions of both
 */
public record Deployment(Map<String, Object> properties, String eventsTopic, String commandsTopic, int partitions) {

    /** A deployment with fast test timings on fresh topics of {@code partitions} partitions, and extra properties. */
    public static Deployment fresh(int partitions, Map<String, Object> extra) {
        final HubTestCluster cluster = HubTestCluster.shared();
        final String id = cluster.uniqueName("refresher");
        final Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("hub.kafka.bootstrap-servers", cluster.bootstrapServers());
        props.put("hub.registry.url", cluster.registryUrl());
        props.put("hub.kafka.partitions", partitions);
        props.put("hub.kafka.topics.commands", id + ".commands");
        props.put("hub.kafka.topics.events", id + ".events");
        props.put("hub.kafka.topics.outcomes", id + ".outcomes");
        props.put("hub.kafka.topics.dead-letters", id + ".dead-letters");
        props.put("hub.secrets.keyset-json", TestKeys.KEYSET_JSON);
        props.put("hub.security.jwt-secret", TestTokens.SECRET);
        props.put("hub.refresher.group-id", id);
        // The OAuth provider stand-in answers on http://127.0.0.1; production defaults refuse both.
        props.put("hub.oauth.allow-insecure-http", true);
        props.put("hub.oauth.allow-loopback", true);
        props.put("hub.refresher.backoff.initial", "200ms");
        props.put("hub.refresher.backoff.max", "2s");
        props.put("hub.refresher.backoff.round-pause", "2s");
        props.put("hub.refresher.outcome-timeout", "5s");
        props.put("hub.refresher.handover-timeout", "10s");
        props.put("hub.refresher.consumer.poll-timeout", "50ms");
        props.put("hub.refresher.producer.linger", "1ms");
        props.putAll(extra);
        cluster.createTopics(partitions, id + ".events", id + ".commands", id + ".outcomes", id + ".dead-letters");
        return new Deployment(Map.copyOf(props), id + ".events", id + ".commands", partitions);
    }

    /** A deployment with fast test timings on fresh topics of {@code partitions} partitions. */
    public static Deployment fresh(int partitions) {
        return fresh(partitions, Map.of());
    }
}
