package dev.relup.operator.leader;


import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import dev.relup.operator.config.RelupConfig;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Leader election on a Lease, on by default: with two operator replicas (the chart's default) or two installs
 * watching the same namespaces, exactly one reconciles; the others wait and take over when its lease expires. A
 * leader that cannot renew its lease exits, so it never acts alongside its successor for long; what a new leader
 * finds half done it resumes from what the nodes report (one step at a time, each done once).
 */
public final class LeaderElection {

    /** JOSDK reads this bean at start; null (relup.leader-election.enabled=false) means no election. */
    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElection(RelupConfig config) {
        RelupConfig.Leader le = config.leaderElection();
        if (!le.enabled()) {
            return null;
        }
        return new LeaderElectionConfiguration(le.leaseName(), le.namespace().orElse(null), le.leaseDuration(),
                le.renewDeadline(), le.retryPeriod(), identity(), null, true);
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
