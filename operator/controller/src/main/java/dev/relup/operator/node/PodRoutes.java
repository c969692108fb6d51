package dev.relup.operator.node;

import dev.relup.engine.node.NodeRoutes;

/**
 * The way to the ports of one pod, see {@code relup.nodes.reach}: a release node's epmd and distribution port, and
 * the build output server of a build Job's pod ({@code packaging.BuildJobs}) go the same way.
 */
@FunctionalInterface
public interface PodRoutes {

    PodRoutes DIRECT = (namespace, pod) -> NodeRoutes.DIRECT;

    /** Routes to the ports of pod {@code namespace/pod} (dialed at its IP, which the caller knows). */
    NodeRoutes to(String namespace, String pod);

    default NodeRoutes to(NodeRef ref) {
        return to(ref.namespace(), ref.pod());
    }
}
