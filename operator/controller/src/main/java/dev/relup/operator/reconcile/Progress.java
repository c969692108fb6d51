package dev.relup.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;

/**
 * What acting changed: the move in flight and the history (the outcome of the action). Everything else in the
 * status is derived from the observation by {@code StatusAggregator}, the one place that writes a status.
 */
final class Progress {
    Move move;
    final List<MoveRecord> history;

    Progress(ErlangReleaseStatus status) {
        this.move = status == null || status.getMove() == null ? null : status.getMove().copy();
        this.history = status == null || status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
    }
}
