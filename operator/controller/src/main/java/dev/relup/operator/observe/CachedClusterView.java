package dev.relup.operator.observe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.relup.api.v1alpha1.ErlangRelease;
import dev.relup.operator.Labels;
import dev.relup.operator.workload.Workload;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** A {@link ClusterView} over JOSDK's informer caches (pods, StatefulSets, Jobs) and the {@link CookieCache}. */
public final class CachedClusterView implements ClusterView {

    private final ErlangRelease cr;
    private final Context<ErlangRelease> context;
    private final CookieCache cookies;

    public CachedClusterView(ErlangRelease cr, Context<ErlangRelease> context, CookieCache cookies) {
        this.cr = cr;
        this.context = context;
        this.cookies = cookies;
    }

    @Override
    public Optional<StatefulSet> statefulSet() {
        return context.getSecondaryResourcesAsStream(StatefulSet.class)
                .filter(s -> s.getMetadata().getName().equals(Labels.statefulSetName(cr.getMetadata().getName())))
                .findFirst();
    }

    @Override
    public List<Pod> pods() {
        return List.copyOf(context.getSecondaryResources(Pod.class));
    }

    @Override
    public Optional<Job> job(String name) {
        return context.getSecondaryResourcesAsStream(Job.class).filter(j -> j.getMetadata().getName().equals(name)).findFirst();
    }

    @Override
    public Map<String, NodeState> nodeStates() {
        return context.getSecondaryResourcesAsStream(NodeState.class)
                .collect(Collectors.toMap(NodeState::pod, s -> s, (a, b) -> b));
    }

    @Override
    public Optional<char[]> cookie() {
        return cookies.cookie(cr.getMetadata().getNamespace(), Workload.cookieSecretName(cr));
    }

    @Override
    public void cookieRefused() {
        cookies.forget(cr.getMetadata().getNamespace(), Workload.cookieSecretName(cr));
    }
}
