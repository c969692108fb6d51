package dev.relup.operator.node;

import dev.relup.engine.node.NodeRoutes;

/** The way to one pod's node: see {@code relup.nodes.reach}. */
@FunctionalInterface
public interface PodRoutes {

    PodRoutes DIRECT = ref -> NodeRoutes.DIRECT;

    NodeRoutes to(NodeRef ref);
}
