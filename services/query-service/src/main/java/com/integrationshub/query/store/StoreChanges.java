package com.integrationshub.query.store;

/** Told of every key a fold of events wrote or deleted, just after the store holds it. */
@FunctionalInterface
public interface StoreChanges {

    /** `key` (of any kind) was written or deleted in a store; a read from the store now sees it. */
    void changed(String key);
}
