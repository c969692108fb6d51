package dev.relup.operator.node;

import java.nio.file.Path;
import java.util.List;

import dev.relup.api.v1alpha1.ReleaseEntry;

/**
 * The operator's port to OTP's release_handler on the release nodes. Each session call is one visible step; the
 * rollout composes them and reads {@link NodeSession#whichReleases} first so that nothing is done twice.
 * Implemented by {@link EngineReleaseNodes} (Jinterface, the engine module); tests use a fake.
 */
public interface ReleaseNodes {

    /** Connects to the node (fails fast with a classified {@link NodeFailure}). */
    NodeSession open(NodeRef node) throws NodeFailure;

    /** One connection to one node. */
    interface NodeSession extends AutoCloseable {

        /** {@code release_handler:which_releases()}. */
        List<ReleaseEntry> whichReleases() throws NodeFailure;

        /**
         * Checks that the package's relup upgrades from the running version, copies it to
         * {@code releases/<version>/<release>.tar.gz} (sha256 verified on the node) and {@code unpack_release}s it.
         */
        void transferAndUnpack(Path packageFile) throws NodeFailure;

        /** Fails with {@link NodeFailure.Kind#NO_UPGRADE_PATH} unless the node's relup files lead to {@code to}. */
        void checkUpgradePath(String to) throws NodeFailure;

        /** {@code install_release(version)}: an upgrade, or a downgrade to a release still installed. */
        void install(String version) throws NodeFailure;

        /** {@code make_permanent(version)} plus the start script copy, so that a restart boots {@code version}. */
        void makePermanent(String version) throws NodeFailure;

        @Override
        void close();
    }
}
