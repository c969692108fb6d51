package dev.relup.engine.handler;

import static dev.relup.engine.handler.NodeCalls.fail;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.Cookie;
import dev.relup.engine.node.NodeException;
import dev.relup.engine.node.NodeName;
import dev.relup.engine.node.NodeRoutes;
import dev.relup.engine.node.RemoteNode;
import dev.relup.engine.node.Terms;
import java.util.Optional;

/**
 * OTP's {@code release_handler} on one running node, one step per method, each bounded by {@link Timeouts}.
 *
 * <p>The steps of an upgrade, in order: {@link #transfer}, {@link #unpack}, {@link #checkPath},
 * {@link #install}, {@link #makePermanent}, {@link #copyStartScript}. A downgrade is {@link #checkPath(String)},
 * {@link #install}, {@link #makePermanent}, {@link #copyStartScript} to a version still on the node. Each method
 * does one thing and returns quickly enough to be called from one reconcile pass;
 * {@code dev.relup.engine.upgrade.NodeMove} chains them.
 *
 * <p>Everything happens over the distribution connection: the package is written with
 * {@code file:write_file} in chunks, the checksum is computed on the node, the bin script is copied with
 * {@code file:copy}. No shell, tar or exec runs on the target.
 *
 * <p>Every failure is a {@link FailureException} carrying a {@link Failure}.
 */
public final class ReleaseHandlerClient implements AutoCloseable {

    /** The size of each {@code file:write_file} during a transfer. */
    public static final int CHUNK_BYTES = 256 * 1024;

    private final RemoteNode node;
    private final Timeouts timeouts;
    private final NodeCalls calls;
    private final RelupReads relups;
    private final NodeFiles files;
    private final SoftPurgeCheck softPurge;
    private String root;

    private ReleaseHandlerClient(RemoteNode node, Timeouts timeouts) {
        this.node = node;
        this.timeouts = timeouts;
        this.calls = new NodeCalls(node);
        this.relups = new RelupReads(calls, timeouts);
        this.files = new NodeFiles(calls, timeouts);
        this.softPurge = new SoftPurgeCheck(calls, timeouts);
    }

    /** Connects; fails within about {@code timeouts.connect()} (x2 for the handshake) with a classified reason. */
    public static ReleaseHandlerClient connect(NodeName name, Cookie cookie, Timeouts timeouts)
            throws FailureException {
        return connect(name, cookie, timeouts, NodeRoutes.DIRECT);
    }

    /** {@link #connect(NodeName, Cookie, Timeouts)} with the node's TCP connections over {@code routes}. */
    public static ReleaseHandlerClient connect(NodeName name, Cookie cookie, Timeouts timeouts, NodeRoutes routes)
            throws FailureException {
        try {
            return new ReleaseHandlerClient(RemoteNode.connect(name, cookie, timeouts.connect(), routes), timeouts);
        } catch (NodeException e) {
            throw new FailureException(Failures.fromNode(name.toString(), "connect", e, timeouts.connect()), e);
        }
    }

    public NodeName node() {
        return node.target();
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** {@code release_handler:which_releases()}. */
    public Releases whichReleases() throws FailureException {
        OtpErlangObject result = calls.call("which_releases", timeouts.call(), "release_handler", "which_releases");
        return new Releases(Terms.elements(result).stream().map(Release::fromTerm).toList());
    }

    /**
     * Whether the node finished booting: {@code init:get_status()} is {@code started} once the boot script has
     * started every application of the release (and {@code starting} before, {@code stopping} on the way down).
     */
    public boolean started() throws FailureException {
        OtpErlangObject status = calls.call("init status", timeouts.call(), "init", "get_status");
        return status instanceof OtpErlangTuple t && t.arity() == 2 && Terms.isAtom(t.elementAt(0), "started");
    }

    /** The version the node runs now. */
    public String runningVsn() throws FailureException {
        return whichReleases().running().map(Release::vsn)
                .orElseThrow(() -> fail(new Failure.HandlerError("which_releases", "no current or permanent release")));
    }

    /** The release root on the node, {@code code:root_dir()} (cached: it never changes for a node). */
    public String releaseRoot() throws FailureException {
        if (root == null) {
            root = Terms.text(calls.call("root_dir", timeouts.call(), "code", "root_dir"));
        }
        return root;
    }

    /** Which boot of the node this is; see {@link Incarnation}. */
    public Incarnation incarnation() throws FailureException {
        String osPid = Terms.text(calls.call("incarnation", timeouts.call(), "os", "getpid"));
        OtpErlangObject sup = calls.call("incarnation", timeouts.call(), "erlang", "whereis", Terms.atom("kernel_sup"));
        return new Incarnation(osPid, sup instanceof OtpErlangPid p ? p.toString() : "none");
    }

    // ---------------------------------------------------------------------------------------------------
    // transfer

    /**
     * Whether {@code releases/<vsn>/<rel>.tar.gz} on the node is byte-for-byte this package (checksum
     * computed on the node). Note that unpack_release deletes the tarball once it has unpacked it.
     */
    public boolean hasPackage(ReleasePackage pkg) throws FailureException {
        return files.hasPackage(pkg, releaseRoot());
    }

    /** Writes the package to {@code releases/<vsn>/<rel>.tar.gz} on the node, verified there; see {@link NodeFiles}. */
    public TransferResult transfer(ReleasePackage pkg) throws FailureException {
        return files.transfer(pkg, releaseRoot());
    }

    // ---------------------------------------------------------------------------------------------------
    // unpack, path check, install, make permanent

    /** {@code unpack_release("<vsn>/<rel>")}; the tarball must be in place (see {@link #transfer}). */
    public void unpack(ReleasePackage pkg) throws FailureException {
        OtpErlangObject r = calls.call("unpack_release", timeouts.unpack(), "release_handler", "unpack_release",
                Terms.charlist(pkg.unpackName()));
        if (Terms.tagged(r, "ok", 2).isEmpty()) {
            throw fail(errorOf("unpack_release", "?", pkg.vsn(), r));
        }
    }

    /**
     * Checks, before anything is sent to the node, that the package's relup upgrades from the running
     * version. The relup text comes from the local package and is parsed on the node ({@code erl_scan},
     * {@code erl_parse}: pure functions, no state touched) so that any Erlang term syntax is understood.
     */
    public UpgradePath checkPath(ReleasePackage pkg) throws FailureException {
        Releases releases = whichReleases();
        String from = running(releases);
        Optional<RelupFile> targetRelup = pkg.relupText().isPresent()
                ? Optional.of(RelupFile.fromTerm(relups.parse(pkg.relupText().get())))
                : Optional.empty();
        boolean onNode = releases.version(pkg.vsn()).isPresent();
        return require(UpgradePath.find(from, pkg.vsn(), targetRelup, relups.read(releaseRoot(), from), onNode));
    }

    /** Checks the path from the running version to {@code vsn} using the relup files on the node. */
    public UpgradePath checkPath(String vsn) throws FailureException {
        Releases releases = whichReleases();
        String from = running(releases);
        boolean onNode = releases.version(vsn).isPresent();
        Optional<RelupFile> targetRelup = onNode ? relups.read(releaseRoot(), vsn) : Optional.empty();
        return require(UpgradePath.find(from, vsn, targetRelup, relups.read(releaseRoot(), from), onNode));
    }

    /**
     * {@code install_release(Vsn, [{error_action, restart}, {code_change_timeout, T}, {suspend_timeout, T}])}.
     *
     * <p>{@code error_action restart} (OTP's default, stated here on purpose): if the relup script fails after
     * its point of no return, the node restarts in the same OS process into the permanent release, which is
     * the one it ran before. The alternative {@code reboot} would end the OS process, i.e. the container.
     *
     * <p>Soft purge refusals come from {@code check_install_release} first, so that nothing changes; see
     * {@link SoftPurgeCheck}.
     *
     * <p>On a failed code_change the client waits (up to {@code timeouts.restart()}) for the node to come back
     * and reports whether it restarted and what it runs.
     */
    public Installed install(String vsn) throws FailureException {
        Incarnation before = incarnation();
        String from = runningVsn();
        softPurge.check(vsn);
        int ccMillis = (int) Math.min(Integer.MAX_VALUE, timeouts.codeChange().toMillis());
        OtpErlangObject options = Terms.list(
                Terms.tuple(Terms.atom("error_action"), Terms.atom("restart")),
                Terms.tuple(Terms.atom("code_change_timeout"), Terms.integer(ccMillis)),
                Terms.tuple(Terms.atom("suspend_timeout"), Terms.integer(ccMillis)));
        OtpErlangObject r;
        try {
            r = node.call("release_handler", "install_release", timeouts.install(), Terms.charlist(vsn), options);
        } catch (NodeException e) {
            if (e.problem() == dev.relup.engine.node.NodeProblem.CONNECTION_LOST) {
                Optional<String> restartedInto = Restarts.await(this, before);
                if (restartedInto.isPresent()) {
                    throw fail(new Failure.InstallCrashed(e.getMessage(), true, restartedInto.get()));
                }
            }
            throw fail(Failures.fromNode(node.target().toString(), "install_release", e, timeouts.install()));
        }
        Optional<OtpErlangObject[]> ok = Terms.tagged(r, "ok", 3)
                .or(() -> Terms.tagged(r, "continue_after_restart", 3));
        if (ok.isPresent()) {
            return new Installed(vsn, Terms.text(ok.get()[1]), Terms.show(ok.get()[2], 200));
        }
        OtpErlangObject reason = Terms.tagged(r, "error", 2).map(e -> e[1]).orElse(r);
        Optional<Failures.CodeChange> cc = Failures.codeChange(reason);
        if (cc.isPresent()) {
            Optional<String> restartedInto = Restarts.await(this, before);
            throw fail(new Failure.CodeChangeFailed(cc.get().module(), cc.get().reason(), restartedInto.isPresent(),
                    restartedInto.orElseGet(() -> Restarts.runningOrUnknown(this))));
        }
        Optional<String> refused = SoftPurgeCheck.refusedModule(r);
        if (refused.isPresent()) {
            throw softPurge.afterRefusedInstall(from, vsn, refused.get());
        }
        throw fail(Failures.fromError("install_release", from, vsn, reason));
    }

    /**
     * {@code make_permanent(Vsn)}: RELEASES and start_erl.data name {@code vsn}. relx's start script does not read
     * them (it hard-codes its version): {@link #copyStartScript} is the step that makes a restart boot {@code vsn}.
     */
    public void makePermanent(String vsn) throws FailureException {
        OtpErlangObject r = calls.call("make_permanent", timeouts.call(), "release_handler", "make_permanent",
                Terms.charlist(vsn));
        if (!Terms.isAtom(r, "ok")) {
            throw fail(errorOf("make_permanent", "?", vsn, r));
        }
    }

    /** Whether {@code bin/<rel>} is {@code bin/<rel>-<vsn>}, i.e. a restart boots {@code vsn}. */
    public boolean startScriptIs(String release, String vsn) throws FailureException {
        return startScriptMatches(release, vsn).orElse(false);
    }

    /**
     * Whether {@code bin/<rel>} is {@code bin/<rel>-<vsn>}; empty when {@code bin/<rel>-<vsn>} does not exist (a
     * release built without versioned scripts: nothing to compare with, nothing to copy).
     */
    public Optional<Boolean> startScriptMatches(String release, String vsn) throws FailureException {
        return files.startScriptMatches(releaseRoot() + "/bin/", release, vsn);
    }

    /**
     * {@code bin/<rel>-<vsn>} copied over {@code bin/<rel>} on the node, through a temporary file renamed into place
     * (atomic), with the source's file mode.
     */
    public void copyStartScript(String release, String vsn) throws FailureException {
        files.copyStartScript(releaseRoot() + "/bin/", release, vsn);
    }

    /** {@code remove_release(Vsn)}: deletes an unpacked or old release from the node. */
    public void removeRelease(String vsn) throws FailureException {
        OtpErlangObject r = calls.call("remove_release", timeouts.call(), "release_handler", "remove_release",
                Terms.charlist(vsn));
        if (!Terms.isAtom(r, "ok")) {
            throw fail(errorOf("remove_release", "?", vsn, r));
        }
    }

    /** A plain RPC with the client's failure mapping, for callers that need one more read (tests, probes). */
    public OtpErlangObject rpc(String module, String function, OtpErlangObject... args) throws FailureException {
        return calls.call(module + ":" + function, timeouts.call(), module, function, args);
    }

    NodeCalls calls() {
        return calls;
    }

    @Override
    public void close() {
        node.close();
    }

    // ---------------------------------------------------------------------------------------------------

    private String running(Releases releases) throws FailureException {
        return releases.running().map(Release::vsn)
                .orElseThrow(() -> fail(new Failure.HandlerError("which_releases", "no current or permanent release")));
    }

    private UpgradePath require(UpgradePath.PathOrFailure p) throws FailureException {
        if (!p.found()) {
            throw fail(p.failure());
        }
        return p.path();
    }

    private Failure errorOf(String operation, String from, String to, OtpErlangObject r) {
        return Failures.fromError(operation, from, to, Terms.tagged(r, "error", 2).map(e -> e[1]).orElse(r));
    }
}
