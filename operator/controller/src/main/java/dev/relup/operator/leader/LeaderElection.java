package dev.relup.operator.leader;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import org.jboss.logging.Logger;

import dev.relup.operator.config.RelupConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Leader election on a Lease, on by default: with two operator replicas (the chart's default) or two installs
 * watching the same namespaces, exactly one reconciles; the others wait and take over when its lease expires. A
 * leader that cannot renew its lease exits, so it never acts alongside its successor for long; what a new leader
 * finds half done it resumes from what the nodes report (one step at a time, each done once).
 */
public final class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /**
     * JOSDK reads this bean at start; null means no election: relup.leader-election.enabled=false, or no namespace
     * for the Lease (neither relup.leader-election.namespace nor the client's own, e.g. a process started by hand
     * against a kubeconfig without a namespace: one operator, said in the log).
     */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(RelupConfig config, KubernetesClient client) {
        RelupConfig.Leader le = config.leaderElection();
        if (!le.enabled()) {
            return null;
        }
        String namespace = le.namespace().orElse(client.getNamespace());
        if (namespace == null) {
            LOG.warn("leader election off: no namespace for its Lease (set relup.leader-election.namespace); "
                    + "run a single operator only");
            return null;
        }
        return new LeaderElectionConfiguration(le.leaseName(), namespace, le.leaseDuration(), le.renewDeadline(),
                le.retryPeriod(), identity(), new LeaderCallbacks(() -> { }, LeaderElection::exitOnLostLease, id -> { }),
                false);
    }

    /**
     * A leader that stopped leading exits (code 1), from a thread of its own. JOSDK's own exit-on-stop-leading calls
     * System.exit on the thread that stops the elector, which on SIGTERM is the shutdown hook itself: the exit then
     * waits for the hooks to end, the hook for the exit, and the process never ends (measured: a SIGTERMed operator
     * was still there 10 minutes later; a pod would wait for its grace period and be SIGKILLed every time). From
     * another thread, an exit during shutdown only blocks that thread, and a lost lease still ends the process.
     */
    static void exitOnLostLease() {
        LOG.info("stopped leading: exiting");
        Thread t = new Thread(() -> System.exit(1), "relup-lost-lease");
        t.setDaemon(true);
        t.start();
    }

    /** The pod's name in a cluster (HOSTNAME), plus the process id, so two processes on one machine differ too. */
    static String identity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = "relup-operator";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

}
