package dev.relup.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What acting wrote, handed on so that the next pass's view (the informers' caches) is not behind it: a pass that
 * came before the watch event would otherwise apply the StatefulSet or create the Job a second time.
 */
public interface Writes {

    Writes NONE = new Writes() {
        @Override
        public void statefulSet(StatefulSet applied) {
        }

        @Override
        public void job(Job created) {
        }
    };

    void statefulSet(StatefulSet applied);

    void job(Job created);
}
