package dev.relup.operator.node;

import java.nio.file.Path;
import java.util.List;

import dev.relup.api.v1alpha1.ReleaseEntry;
import dev.relup.engine.handler.Failure;
import dev.relup.engine.handler.FailureException;
import dev.relup.engine.handler.ReleaseHandlerClient;
import dev.relup.engine.handler.ReleasePackage;
import dev.relup.engine.handler.Timeouts;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeName;

/** {@link ReleaseNodes} over the engine's Jinterface release_handler client. */
public final class EngineReleaseNodes implements ReleaseNodes {

    private final Timeouts timeouts;

    public EngineReleaseNodes(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public NodeSession open(NodeRef ref) throws NodeFailure {
        try {
            ReleaseHandlerClient client = ReleaseHandlerClient.connect(
                    new NodeName(ref.release(), ref.host()), Cookie.of(new String(ref.cookie())), timeouts);
            return new Session(ref, client);
        } catch (FailureException e) {
            throw map(ref, e);
        }
    }

    private static final class Session implements NodeSession {
        private final NodeRef ref;
        private final ReleaseHandlerClient client;

        Session(NodeRef ref, ReleaseHandlerClient client) {
            this.ref = ref;
            this.client = client;
        }

        @Override
        public List<ReleaseEntry> whichReleases() throws NodeFailure {
            try {
                return client.whichReleases().all().stream()
                        .map(r -> new ReleaseEntry(r.vsn(), r.state().atom()))
                        .toList();
            } catch (FailureException e) {
                throw map(ref, e);
            }
        }

        @Override
        public void transferAndUnpack(Path packageFile) throws NodeFailure {
            try {
                ReleasePackage pkg = ReleasePackage.read(packageFile);
                client.checkPath(pkg);
                client.transfer(pkg);
                client.unpack(pkg);
            } catch (FailureException e) {
                throw map(ref, e);
            }
        }

        @Override
        public void checkUpgradePath(String to) throws NodeFailure {
            try {
                client.checkPath(to);
            } catch (FailureException e) {
                throw map(ref, e);
            }
        }

        @Override
        public void install(String version) throws NodeFailure {
            try {
                client.install(version);
            } catch (FailureException e) {
                throw map(ref, e);
            }
        }

        @Override
        public void makePermanent(String version) throws NodeFailure {
            try {
                client.makePermanent(ref.release(), version);
            } catch (FailureException e) {
                throw map(ref, e);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The engine's failures, mapped onto the operator's closed set; messages name the pod, never the cookie. */
    static NodeFailure map(NodeRef ref, FailureException e) {
        Failure f = e.failure();
        NodeFailure.Kind kind = switch (f.kind()) {
            case "NODE_UNREACHABLE", "CONNECTION_LOST" -> NodeFailure.Kind.UNREACHABLE;
            case "AUTH_FAILED" -> NodeFailure.Kind.WRONG_COOKIE;
            case "TIMEOUT" -> NodeFailure.Kind.TIMEOUT;
            case "NO_UPGRADE_PATH" -> NodeFailure.Kind.NO_UPGRADE_PATH;
            case "CODE_CHANGE_FAILED", "INSTALL_CRASHED" -> NodeFailure.Kind.CODE_CHANGE_FAILED;
            case "OLD_PROCESSES" -> NodeFailure.Kind.OLD_PROCESSES;
            case "TRANSFER_FAILED" -> NodeFailure.Kind.TRANSFER_FAILED;
            case "INVALID_PACKAGE" -> NodeFailure.Kind.PACKAGE_FAILED;
            default -> NodeFailure.Kind.OTHER;
        };
        return new NodeFailure(kind, ref.pod() + ": " + f.message(), e);
    }
}
