package dev.relup.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.relup.api.v1alpha1.ConfigStatus;
import dev.relup.api.v1alpha1.ErlangReleaseStatus;
import dev.relup.api.v1alpha1.HealthCheck;
import dev.relup.api.v1alpha1.Rollback;
import dev.relup.operator.decide.Action;
import dev.relup.operator.observe.ConfigHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** Live configuration over whole passes (see {@link PassHarness}): spec.config on three pods with a health check. */
@EnableKubernetesMockClient(crud = true)
class ConfigPassTest {

    static final String TEXT = "[{ticker, [{interval, 1500}]}].";
    static final String CANONICAL = "[{ticker,[{interval,1500}]}].";
    static final String NONE = "[].";

    KubernetesClient client;
    @TempDir
    Path cacheDir;
    PassHarness h;

    @BeforeEach
    void runningOn010WithAHealthCheck() {
        h = new PassHarness(client, cacheDir);
        HealthCheck check = new HealthCheck();
        check.setModule("ticker_server");
        check.setFunction("health");
        h.cr.getSpec().setHealthCheck(check);
        h.pass();
        h.podsRunning("0.1.0");
        h.passUntil(r -> r.action() instanceof Action.Idle, 10);
    }

    private void specConfig(String text) {
        h.cr.getSpec().setConfig(text);
        h.cr.getMetadata().setGeneration(h.cr.getMetadata().getGeneration() + 1);
    }

    private List<String> configCalls() {
        return h.nodes.calls.stream().filter(c -> c.contains("config") || c.contains(" health ")).toList();
    }

    @Test
    void theCanaryGetsTheConfigFirstIsCheckedThenTheOthersOneAtATime() {
        specConfig(TEXT);
        ReleasePass.Result applying = h.passUntil(r -> r.action() instanceof Action.ApplyConfig, 3);
        assertThat(applying.status().getPhase()).isEqualTo("Configuring");
        assertThat(condition(applying.status(), "Progressing").getReason()).isEqualTo("ApplyingConfig");
        h.passUntil(r -> r.action() instanceof Action.Idle, 30);

        assertThat(configCalls()).containsExactly("ticker-2 validate_config " + CANONICAL,
                "ticker-2 apply_config " + CANONICAL, "ticker-2 health 0.1.0",
                "ticker-1 apply_config " + CANONICAL, "ticker-1 health 0.1.0",
                "ticker-0 apply_config " + CANONICAL, "ticker-0 health 0.1.0");
        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.nodes.configOf(pod, "0.1.0")).as("persisted for the running release").isEqualTo(CANONICAL);
        }
        ConfigStatus c = h.cr.getStatus().getConfig();
        assertThat(c.getDesired()).isEqualTo(ConfigHash.of(CANONICAL));
        assertThat(c.getApplied()).hasSize(3).allSatisfy((pod, hash) -> assertThat(hash).isEqualTo(c.getDesired()));
        assertThat(c.getRollout()).isNull();
        assertThat(h.events("ConfigApplied")).hasSize(3);
        assertThat(h.events("ConfigApplied").get(0)).contains("pod ticker-2 (canary)")
                .contains(ConfigHash.of(NONE) + " -> " + ConfigHash.of(CANONICAL)).contains("ticker changed {interval=")
                .contains("config_change CALLED");
        assertThat(condition(h.cr.getStatus(), "Ready").getStatus()).isEqualTo("True");
    }

    @Test
    void aRejectedTextTouchesNoPodAndSaysWhyUntilTheSpecChanges() {
        String broken = "[{ticker, [{interval, 1500}]}";
        h.nodes.rejectConfig.put(broken, "does not parse: line 1: syntax error before: ");
        specConfig(broken);
        h.passUntil(r -> r.action() instanceof Action.ConfigHeld, 3);
        ErlangReleaseStatus s = h.pass().status();

        assertThat(h.nodes.calls).noneMatch(c -> c.contains("apply_config"));
        assertThat(condition(s, "Degraded").getStatus()).isEqualTo("True");
        assertThat(condition(s, "Degraded").getReason()).isEqualTo("ConfigRejected");
        assertThat(condition(s, "Degraded").getMessage()).contains("does not parse: line 1");
        assertThat(s.getConfig().getRejected().getText()).isEqualTo(broken);
        assertThat(s.getConfig().getRejected().getReason()).startsWith("does not parse");
        assertThat(s.getConfig().getRejected().getTime()).isNotNull();
        assertThat(h.events("ConfigRejected")).singleElement().asString().contains("no pod was changed");
        assertThat(h.nodes.calls.stream().filter(c -> c.contains("validate_config")).count()).as("asked once").isOne();

        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.Idle, 30);
        assertThat(h.cr.getStatus().getConfig().getRejected()).isNull();
        assertThat(h.nodes.configOf("ticker-0", "0.1.0")).isEqualTo(CANONICAL);
    }

    @Test
    void aFailingCheckAfterTheCanarysChangeGivesItItsPreviousConfigBackUnderAuto() {
        h.nodes.health.put("ticker-2 " + CANONICAL, "{error,{stalled,1500}}");
        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.EndConfig, 20);
        ErlangReleaseStatus s = h.pass().status();

        assertThat(configCalls()).containsExactly("ticker-2 validate_config " + CANONICAL,
                "ticker-2 apply_config " + CANONICAL, "ticker-2 health 0.1.0", "ticker-2 apply_config " + NONE);
        assertThat(h.nodes.configOf("ticker-2", "0.1.0")).isEqualTo(NONE);
        assertThat(condition(s, "Degraded").getReason()).isEqualTo("ConfigRolledBack");
        assertThat(condition(s, "Degraded").getMessage()).contains("ticker-2").contains("{error,{stalled,1500}}");
        assertThat(h.events("ConfigRollingBack")).singleElement().asString().contains("giving ticker-2");
        assertThat(h.events("ConfigApplied")).hasSize(2).last().asString().contains("(rollback)");

        int calls = h.nodes.calls.size();
        for (int i = 0; i < 5; i++) {
            assertThat(h.pass().action()).isInstanceOf(Action.ConfigHeld.class);
        }
        assertThat(h.nodes.calls.subList(calls, h.nodes.calls.size())).as("not tried again")
                .noneMatch(c -> c.contains("config"));
    }

    @Test
    void aFailingCheckUnderManualStopsWithTheCanaryOnTheNewConfig() {
        h.cr.getSpec().setRollback(Rollback.Manual);
        h.nodes.health.put("ticker-2 " + CANONICAL, "false");
        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.EndConfig, 20);
        ErlangReleaseStatus s = h.pass().status();

        assertThat(h.nodes.configOf("ticker-2", "0.1.0")).isEqualTo(CANONICAL);
        assertThat(h.nodes.configOf("ticker-1", "0.1.0")).isEqualTo(NONE);
        assertThat(condition(s, "Degraded").getReason()).isEqualTo("ConfigFailed");
        assertThat(condition(s, "Degraded").getMessage()).contains("rollback is Manual: ticker-2 keep config");
    }

    @Test
    void aFailedConfigChangeCallbackCountsAsAFailure() {
        h.nodes.failCallback.add("ticker-2");
        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.EndConfig, 20);
        assertThat(h.nodes.configOf("ticker-2", "0.1.0")).isEqualTo(NONE);
        assertThat(h.cr.getStatus().getConfig().getRollout().getFailure()).contains("ticker:config_change/3 failed");
    }

    @Test
    void aPodRecreatedWithoutItsOverridesGetsThemAgain() {
        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.Idle, 30);
        h.nodes.config.remove("ticker-1"); // a new pod: the release directory seeded from the image again
        int from = h.nodes.calls.size();
        h.passUntil(r -> r.action() instanceof Action.Idle, 30);
        assertThat(h.nodes.calls.subList(from, h.nodes.calls.size())).filteredOn(c -> c.contains("config"))
                .containsExactly("ticker-1 apply_config " + CANONICAL);
        assertThat(h.nodes.configOf("ticker-1", "0.1.0")).isEqualTo(CANONICAL);
    }

    @Test
    void aVersionMoveKeepsTheOverridesInTheNewReleasesSysConfigBeforeInstall() throws Exception {
        specConfig(TEXT);
        h.passUntil(r -> r.action() instanceof Action.Idle, 30);
        h.specVersion("0.2.0");
        h.passUntil(r -> r.action() instanceof Action.StartMove, 3);
        h.packageBuilt("0.1.0", "0.2.0");
        int from = h.nodes.calls.size();
        h.passUntil(r -> r.action() instanceof Action.Idle, 60);

        for (String pod : List.of("ticker-0", "ticker-1", "ticker-2")) {
            assertThat(h.nodes.configOf(pod, "0.2.0")).isEqualTo(CANONICAL);
            List<String> calls = h.calls(pod);
            assertThat(calls.indexOf(pod + " carry_config 0.2.0")).isGreaterThan(calls.indexOf(pod + " unpack 0.2.0"))
                    .isEqualTo(calls.indexOf(pod + " install 0.2.0") - 1);
        }
        assertThat(h.nodes.calls.subList(from, h.nodes.calls.size())).as("nothing to apply after the move")
                .noneMatch(c -> c.contains("apply_config"));
        assertThat(h.cr.getStatus().getCurrentVersion()).isEqualTo("0.2.0");
    }

    private static Condition condition(ErlangReleaseStatus s, String type) {
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
