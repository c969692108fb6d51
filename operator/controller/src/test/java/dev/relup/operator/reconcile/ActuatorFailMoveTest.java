package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.operator.decide.Action;
import dev.relup.operator.decide.Reasons;
import dev.relup.operator.events.Events;
import dev.relup.operator.metrics.MoveMetrics;
import dev.relup.operator.observe.Observation;
import dev.relup.operator.rollout.Backoff;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A failed move gets its UpgradeFailed event and its history entry when it fails, and only one entry. */
class ActuatorFailMoveTest {

    private final List<String> events = new ArrayList<>();
    private final Events recorder = new Events() {
        @Override
        public void normal(ErlangRelease cr, String reason, String message) {
            events.add("Normal " + reason + ": " + message);
        }

        @Override
        public void warning(ErlangRelease cr, String reason, String message) {
            events.add("Warning " + reason + ": " + message);
        }
    };
    // FailMove and FinishMove touch nothing but the progress and the events
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Actuator actuator = new Actuator(null, null, null, null, null, recorder, Backoff.DEFAULT,
            new MoveMetrics(registry));

    @Test
    void aTimedOutMoveIsRecordedOnceWithItsEvent() {
        ErlangRelease cr = new ErlangRelease();
        cr.setMetadata(new ObjectMetaBuilder().withName("t").withNamespace("ns").build());
        cr.setSpec(new ErlangReleaseSpec());
        Move m = new Move();
        m.setFrom("0.1.0");
        m.setTo("0.3.0");
        m.setMethod(Method.Restart);
        m.setStartedAt("2025-01-01T00:00:00Z");
        ErlangReleaseStatus status = new ErlangReleaseStatus();
        status.setMove(m);
        Observation obs = new Observation(true, "x", "h", List.of(), Optional.empty(), Optional.empty());
        Instant failedAt = Instant.parse("2025-01-01T00:20:00Z");

        Progress p = new Progress(status);
        actuator.act(cr, new Action.FailMove(Reasons.MOVE_TIMED_OUT, "pod t-2 ... not Ready"), obs, p, failedAt);
        assertThat(p.move.getFailureReason()).isEqualTo(Reasons.MOVE_TIMED_OUT);
        assertThat(events).containsExactly("Warning UpgradeFailed: MoveTimedOut: pod t-2 ... not Ready; relup.dev/retry"
                + " (a new value) or a spec change tries again");
        assertThat(p.history).hasSize(1);
        assertThat(p.history.get(0).getResult()).isEqualTo(MoveResult.Failed);
        assertThat(p.history.get(0).getEnd()).isEqualTo(failedAt.toString());
        assertThat(p.history.get(0).getMessage()).isEqualTo("MoveTimedOut: pod t-2 ... not Ready");

        // the spec changes later: the failed move ends without a second entry
        status.setMove(p.move);
        status.setHistory(p.history);
        Progress later = new Progress(status);
        actuator.act(cr, new Action.FinishMove(MoveResult.Failed, p.move.getFailure()), obs, later, failedAt.plusSeconds(600));
        assertThat(later.move).isNull();
        assertThat(later.history).hasSize(1);
        assertThat(registry.get("relup.moves").tags("method", "Restart", "result", "Failed").counter().count())
                .as("counted once, when it failed").isEqualTo(1.0);
    }
}
