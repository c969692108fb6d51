package dev.relup.operator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.relup.api.v1alpha1.Method;
import dev.relup.api.v1alpha1.MoveResult;
import dev.relup.engine.upgrade.StepTiming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The operator's meters, scraped from {@code /q/metrics} (Prometheus):
 * <ul>
 *   <li>{@code relup_moves_total{method,result}}: moves that ended (Succeeded, Failed, Superseded);</li>
 *   <li>{@code relup_move_duration_seconds{method,result}}: from the move's start to its end;</li>
 *   <li>{@code relup_step_duration_seconds{step}}: each engine step on a node (transfer, unpack, install,
 *       make_permanent, copy_start_script, check_path) and each relup package build (step=build);</li>
 *   <li>{@code relup_step_failures_total{kind}}: failed hot steps, by failure kind;</li>
 *   <li>{@code relup_reconcile_passes_total}: reconcile passes;</li>
 *   <li>{@code relup_reconcile_errors_total}: passes that threw (JOSDK retries them).</li>
 * </ul>
 * Low cardinality on purpose: no resource or pod names in tags.
 */
public final class MoveMetrics {

    private final MeterRegistry registry;
    private final Map<String, Instant> buildsStarted = new ConcurrentHashMap<>();

    public MoveMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void moveEnded(Method method, MoveResult result, String startedAt, Instant now) {
        String m = method == null ? "None" : method.name();
        Counter.builder("relup.moves").description("Moves that ended, by method and result")
                .tags("method", m, "result", result.name()).register(registry).increment();
        if (startedAt != null) {
            Timer.builder("relup.move.duration").description("Moves from start to end")
                    .tags("method", m, "result", result.name()).register(registry)
                    .record(Duration.between(Instant.parse(startedAt), now));
        }
    }

    public void step(StepTiming t) {
        step(t.step().name().toLowerCase(Locale.ROOT), Duration.ofMillis(t.millis()));
    }

    public void stepFailed(String kind) {
        Counter.builder("relup.step.failures").description("Failed hot steps, by failure kind")
                .tag("kind", kind).register(registry).increment();
    }

    public void buildStarted(String job, Instant now) {
        buildsStarted.put(job, now);
    }

    /** The package of {@code job} was fetched: a build's duration, when this process saw it start. */
    public void buildFetched(String job, Instant now) {
        Instant started = buildsStarted.remove(job);
        if (started != null) {
            step("build", Duration.between(started, now));
        }
    }

    public void pass() {
        Counter.builder("relup.reconcile.passes").description("Reconcile passes").register(registry).increment();
    }

    public void reconcileError() {
        Counter.builder("relup.reconcile.errors").description("Reconcile passes that failed (and are retried)")
                .register(registry).increment();
    }

    private void step(String step, Duration d) {
        Timer.builder("relup.step.duration").description("Steps of moves: engine steps on a node, package builds")
                .tag("step", step).publishPercentileHistogram(false).register(registry).record(d);
    }
}
