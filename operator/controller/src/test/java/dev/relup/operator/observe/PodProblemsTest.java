package dev.relup.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;

class PodProblemsTest {

    @Test
    void aFailingInitContainerIsReportedInTheBuildersWords() {
        var pod = new PodBuilder().withNewStatus()
                .addNewInitContainerStatus().withName("tools").withImage("relup-tools:dev").withNewState().withNewTerminated()
                .withExitCode(0).endTerminated().endState().endInitContainerStatus()
                .addNewInitContainerStatus().withName("build").withImage("ticker:0.9.0").withNewState().withNewTerminated()
                .withExitCode(1).withMessage("relup_builder: no ebin for ticker 0.9.0\n(exit 1)").endTerminated().endState()
                .endInitContainerStatus().endStatus().build();
        assertThat(PodProblems.initFailure(pod)).hasValueSatisfying(m -> assertThat(m)
                .contains("build (ticker:0.9.0) exited 1").contains("no ebin for ticker 0.9.0"));
        var pulling = new PodBuilder().withNewStatus().addNewInitContainerStatus().withName("to-release").withImage("nope:1")
                .withNewState().withNewWaiting().withReason("ErrImageNeverPull").endWaiting().endState().endInitContainerStatus()
                .endStatus().build();
        assertThat(PodProblems.initFailure(pulling)).hasValueSatisfying(m -> assertThat(m).contains("nope:1")
                .startsWith("Init:ErrImageNeverPull"));
        assertThat(PodProblems.initFailure(new PodBuilder().withNewStatus().endStatus().build())).isEmpty();
    }

    @Test
    void theKubeletsAndTheSchedulersReasonsAreReported() {
        var crashing = new PodBuilder().withNewStatus().addNewContainerStatus().withName("release").withImage("app:1")
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 40s restarting")
                .endWaiting().endState().endContainerStatus().endStatus().build();
        assertThat(PodProblems.of(crashing)).hasValue("CrashLoopBackOff (container release, image app:1): back-off 40s restarting");
        var pending = new PodBuilder().withNewStatus().addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient memory.").endCondition()
                .endStatus().build();
        assertThat(PodProblems.of(pending)).hasValue("Unschedulable: 0/1 nodes are available: 1 Insufficient memory.");
        var creating = new PodBuilder().withNewStatus().addNewContainerStatus().withName("release").withImage("app:1")
                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
                .endStatus().build();
        assertThat(PodProblems.of(creating)).as("starting is not a problem").isEmpty();
    }
}
