package dev.relup.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;
import dev.relup.operator.observe.CachedPackage;

/**
 * What acting changed: the move in flight, the history (the outcome of the action), the live config state and the
 * package fetched in this pass (the observation, made before, does not have it yet). Everything else in the
 * status is derived from the observation by {@code StatusAggregator}, the one place that writes a status.
 */
final class Progress {
    Move move;
    final List<MoveRecord> history;
    CachedPackage fetched;
    /** The live configuration state: what was validated, the rollout in flight. */
    ConfigStatus config;

    Progress(ErlangReleaseStatus status) {
        this.move = status == null || status.getMove() == null ? null : status.getMove().copy();
        this.config = status == null || status.getConfig() == null ? new ConfigStatus() : status.getConfig().copy();
        this.history = status == null || status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
    }
}
