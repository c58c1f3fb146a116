package com.integrationshub.query.streams;

import com.integrationshub.query.view.ViewChanges;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * A store restored from its changelog changes without a fold (a task taken over, or rebuilt after a failed
 * transaction): the views' readers are told that anything may have changed.
 */
final class RestorationsChangeViews implements StateRestoreListener {

    private final ViewChanges changes;

    RestorationsChangeViews(ViewChanges changes) {
        this.changes = changes;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        changes.changedAll();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        changes.changedAll();
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        changes.changedAll();
    }
}
