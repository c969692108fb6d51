package dev.relup.operator.node;

import java.nio.file.Path;
import java.util.List;

import dev.relup.api.v1alpha1.ReleaseEntry;

/**
 * The operator's port to OTP's release_handler on the release nodes. Each call is one visible step; the
 * rollout composes them and checks {@link #whichReleases} first so that nothing is done twice.
 */
public interface ReleaseNodes {

    /** {@code release_handler:which_releases()} of the node. */
    List<ReleaseEntry> whichReleases(NodeRef node) throws NodeFailure;

    /**
     * Copy the relup package to {@code releases/<version>/<release>.tar.gz} on the node (sha256 checked there)
     * and {@code unpack_release}.
     */
    void transferAndUnpack(NodeRef node, String version, Path packageFile, String sha256) throws NodeFailure;

    /** Fails with {@link NodeFailure.Kind#NO_UPGRADE_PATH} unless the node has a relup entry from → to. */
    void checkUpgradePath(NodeRef node, String from, String to) throws NodeFailure;

    /** {@code install_release(version)}: an upgrade, or a downgrade to a release still installed. */
    void install(NodeRef node, String version) throws NodeFailure;

    /** {@code make_permanent(version)} and the start script copy, so that a restart boots {@code version}. */
    void makePermanent(NodeRef node, String version) throws NodeFailure;
}
