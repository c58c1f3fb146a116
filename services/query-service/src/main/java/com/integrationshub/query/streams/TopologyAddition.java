package com.integrationshub.query.streams;

import org.apache.kafka.streams.Topology;

/**
 * A part of the query service's topology that lives in another package (e.g. the global store of providers'
 * OpenAPI documents): its topics are made sure of and it is added before the streams client starts.
 */
public interface TopologyAddition {

    /** Creates the topics this addition reads, if missing. */
    void ensureTopics();

    /** Adds its sources, stores and processors to the topology. */
    void addTo(Topology topology);
}
