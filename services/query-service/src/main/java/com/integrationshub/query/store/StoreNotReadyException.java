package com.integrationshub.query.store;

/** A view is not queryable here right now (starting, restoring, rebalancing): answer 503 and retry. */
public final class StoreNotReadyException extends RuntimeException {

    public StoreNotReadyException(String why) {
        super(why, null, false, false);
    }
}
