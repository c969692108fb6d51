package dev.relup.operator.reconcile;

import java.util.ArrayList;
import java.util.List;

import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveRecord;

/** The parts of the status that actions change: the move in flight, the history, the last stable version. */
final class Progress {
    Move move;
    final List<MoveRecord> history;
    String lastStableVersion;

    Progress(ErlangReleaseStatus status) {
        this.move = status == null || status.getMove() == null ? null : status.getMove().copy();
        this.history = status == null || status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
        this.lastStableVersion = status == null ? null : status.getLastStableVersion();
    }
}
