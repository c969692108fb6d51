package dev.relup.operator.node;

import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.HealthCheck;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.engine.upgrade.Step;
import dev.relup.engine.upgrade.StepTiming;

/**
 * The operator's port to OTP's release_handler on the release nodes. A move is driven by the engine's one step
 * machine ({@code dev.relup.engine.upgrade.Plan}): {@link NodeSession#advance} reads the node, picks the step it
 * still needs and does that one step. Implemented by {@link EngineReleaseNodes} (Jinterface); tests use a fake
 * that runs the same Plan.
 */
public interface ReleaseNodes {

    /** Connects to the node (fails fast with a classified {@link NodeFailure}). */
    NodeSession open(NodeRef node) throws NodeFailure;

    /**
     * One step done on a node. {@code step} is {@link Step#DONE} when the node needed nothing; {@code timings} has
     * the step and the checks made before it.
     */
    record StepDone(Step step, List<StepTiming> timings) {
        public long millis() {
            return timings.stream().mapToLong(StepTiming::millis).sum();
        }
    }

    /** One connection to one node. */
    /**
     * What a health check said: {@code beam} names the boot of the node that answered (OS pid and kernel_sup pid),
     * so a restart between two checks shows even when the container did not restart (release_handler restarts the
     * emulator in place).
     */
    record HealthAnswer(boolean passed, String answer, long millis, String beam) {}

    /** What a node said of a configuration text: its canonical form (accepted), or why not ({@code reason}). */
    record ConfigVerdict(String canonical, String reason) {
        public boolean accepted() {
            return reason == null;
        }
    }

    /**
     * One live configuration change on a node: the canonical overrides it ran before and runs now, and what each
     * application's {@code config_change/3} made of it.
     */
    record ConfigApplied(String previous, String next, dev.relup.engine.config.ConfigReport report) {}

    interface NodeSession extends AutoCloseable {

        /** {@code release_handler:which_releases()}. */
        List<ReleaseEntry> whichReleases() throws NodeFailure;

        /** The boot script has run to its end: every application of the release was started. */
        boolean started() throws NodeFailure;

        /**
         * Whether {@code bin/<release>} is {@code bin/<release>-<version>}, i.e. a restart of the node boots
         * {@code version} (relx's start script hard-codes its version). True when the versioned script is absent:
         * then nothing could be copied and the release's own script is all there is.
         */
        boolean startScriptIs(String version) throws NodeFailure;

        /**
         * Does the one step that brings the node closer to {@code to} (transfer, unpack, install, make_permanent
         * or the start script copy), after reading what the node reports, so a step already done is never
         * repeated. {@code packageFile}: the relup package, needed only while the node does not have {@code to};
         * a transfer of it is refused (PACKAGE_FAILED) when its bytes no longer have the recorded sha256.
         */
        StepDone advance(String to, Optional<PackageFile> packageFile) throws NodeFailure;

        /**
         * Calls the release's health function ({@code spec.healthCheck}) on the node; with none ({@code null}) only
         * which boot of the node answers (for the canary's soak).
         */
        HealthAnswer checkHealth(HealthCheck check) throws NodeFailure;

        /** The canonical overrides text persisted for release {@code vsn} on the node, {@code "[]."} when none. */
        String overrides(String vsn) throws NodeFailure;

        /** Checks a {@code spec.config} text against the release the node runs, with the node's own parser. */
        ConfigVerdict validateConfig(String text) throws NodeFailure;

        /**
         * Moves the node's live configuration to {@code text} (previous: what it persisted for its running release)
         * and persists it there, so that a restart keeps it. A text the node rejects fails and changes nothing.
         */
        ConfigApplied applyConfig(String text) throws NodeFailure;

        @Override
        void close();
    }
}
