package dev.relup.engine.handler;

import static dev.relup.engine.handler.NodeCalls.expectOk;
import static dev.relup.engine.handler.NodeCalls.fail;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.Terms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Files on a release node, over the distribution connection only (no shell, tar or exec on the target): the
 * package written in chunks and verified by a checksum computed on the node, the start script compared and copied.
 */
final class NodeFiles {

    private final NodeCalls calls;
    private final Timeouts timeouts;

    NodeFiles(NodeCalls calls, Timeouts timeouts) {
        this.calls = calls;
        this.timeouts = timeouts;
    }

    private static final String CHECKSUM_EXPR = """
            case file:read_file(Path) of
                {ok, Bin} ->
                    case erlang:module_loaded(crypto) of
                        true -> {sha256, crypto:hash(sha256, Bin)};
                        false -> {md5, erlang:md5(Bin)}
                    end;
                Error -> Error
            end.""";

    /**
     * Whether {@code releases/<vsn>/<rel>.tar.gz} on the node is byte-for-byte this package (checksum
     * computed on the node). Note that unpack_release deletes the tarball once it has unpacked it.
     */
    boolean hasPackage(ReleasePackage pkg, String root) throws FailureException {
        Optional<String[]> remote = remoteChecksum(pkg.pathUnder(root));
        return remote.isPresent() && remote.get()[1].equals(expected(pkg, remote.get()[0]));
    }

    /**
     * Writes the package to {@code releases/<vsn>/<rel>.tar.gz} over the distribution connection: chunks of
     * {@link ReleaseHandlerClient#CHUNK_BYTES} appended with {@code file:write_file/3} to a {@code .part} file (each
     * call opens and closes the file itself, so no file handle is owned by a short-lived rex worker), then the
     * checksum is computed on the node, compared, and the file renamed into place. Skips the copy when an identical
     * package is already there.
     */
    TransferResult transfer(ReleasePackage pkg, String root) throws FailureException {
        String target = pkg.pathUnder(root);
        Optional<String[]> existing = remoteChecksum(target);
        if (existing.isPresent() && existing.get()[1].equals(expected(pkg, existing.get()[0]))) {
            return new TransferResult(target, pkg.size(), 0, existing.get()[0], existing.get()[1], true);
        }
        String part = target + ".part";
        expectOk("transfer", calls.call("transfer", timeouts.call(), "filelib", "ensure_dir", Terms.charlist(target)));
        int chunks = 0;
        try (InputStream in = Files.newInputStream(pkg.file())) {
            byte[] buf = new byte[ReleaseHandlerClient.CHUNK_BYTES];
            int n;
            do {
                n = in.readNBytes(buf, 0, buf.length);
                if (n == 0 && chunks > 0) {
                    break;
                }
                OtpErlangBinary chunk = Terms.binary(n == buf.length ? buf : Arrays.copyOf(buf, n));
                OtpErlangObject r = chunks == 0
                        ? calls.call("transfer", timeouts.call(), "file", "write_file", Terms.charlist(part), chunk)
                        : calls.call("transfer", timeouts.call(), "file", "write_file", Terms.charlist(part), chunk,
                                Terms.list(Terms.atom("append")));
                if (!Terms.isAtom(r, "ok")) {
                    throw fail(new Failure.TransferFailed("writing " + part + ": " + Terms.show(r, 200)));
                }
                chunks++;
            } while (n == buf.length);
        } catch (IOException e) {
            throw fail(new Failure.InvalidPackage("cannot read " + pkg.file() + ": " + e.getMessage()));
        }
        String[] sum = remoteChecksum(part).orElseThrow(() -> fail(new Failure.TransferFailed(part + " vanished")));
        String want = expected(pkg, sum[0]);
        if (!sum[1].equals(want)) {
            calls.call("transfer", timeouts.call(), "file", "delete", Terms.charlist(part));
            throw fail(new Failure.TransferFailed(sum[0] + " on the node is " + sum[1] + ", expected " + want));
        }
        expectOk("transfer", calls.call("transfer", timeouts.call(), "file", "rename", Terms.charlist(part),
                Terms.charlist(target)));
        return new TransferResult(target, pkg.size(), chunks, sum[0], sum[1], false);
    }

    /** {algorithm, hex} of a file on the node, or empty if it does not exist. */
    private Optional<String[]> remoteChecksum(String path) throws FailureException {
        OtpErlangObject r = calls.eval("checksum", CHECKSUM_EXPR, Map.of("Path", Terms.charlist(path)),
                timeouts.call());
        if (r instanceof OtpErlangTuple t && t.arity() == 2 && t.elementAt(1) instanceof OtpErlangBinary b) {
            return Optional.of(new String[] {Terms.text(t.elementAt(0)), HexFormat.of().formatHex(b.binaryValue())});
        }
        if (Terms.tagged(r, "error", 2).map(e -> Terms.isAtom(e[1], "enoent")).orElse(false)) {
            return Optional.empty();
        }
        throw fail(new Failure.TransferFailed("cannot checksum " + path + ": " + Terms.show(r, 200)));
    }

    private static String expected(ReleasePackage pkg, String algorithm) {
        return algorithm.equals("sha256") ? pkg.sha256() : pkg.md5();
    }

    /**
     * Whether {@code bin/<rel>} is {@code bin/<rel>-<vsn>}; empty when {@code bin/<rel>-<vsn>} does not exist (a
     * release built without versioned scripts: nothing to compare with, nothing to copy).
     */
    Optional<Boolean> startScriptMatches(String bin, String release, String vsn) throws FailureException {
        Optional<byte[]> versioned = readFile(bin + release + "-" + vsn);
        if (versioned.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> plain = readFile(bin + release);
        return Optional.of(plain.isPresent() && Arrays.equals(versioned.get(), plain.get()));
    }

    /**
     * {@code bin/<rel>-<vsn>} copied over {@code bin/<rel>} on the node, through a temporary file renamed into place
     * (atomic), with the source's file mode.
     */
    void copyStartScript(String bin, String release, String vsn) throws FailureException {
        String src = bin + release + "-" + vsn;
        String tmp = bin + "." + release + ".relup-new";
        OtpErlangObject info = calls.call("bin script", timeouts.call(), "file", "read_file_info", Terms.charlist(src));
        Optional<OtpErlangObject[]> ok = Terms.tagged(info, "ok", 2);
        if (ok.isEmpty() || !(ok.get()[1] instanceof OtpErlangTuple fileInfo)) {
            throw fail(new Failure.HandlerError("copy_start_script", src + " is missing ("
                    + Terms.show(info, 100) + "): bin/" + release + " still starts the old version"));
        }
        OtpErlangObject mode = fileInfo.elementAt(7); // #file_info.mode: element 8 of the record tuple
        OtpErlangObject copied = calls.call("bin script", timeouts.call(), "file", "copy", Terms.charlist(src),
                Terms.charlist(tmp));
        if (Terms.tagged(copied, "ok", 2).isEmpty()) {
            throw fail(new Failure.HandlerError("copy_start_script", "copying " + src + ": "
                    + Terms.show(copied, 200)));
        }
        expectOk("copy_start_script", calls.call("bin script", timeouts.call(), "file", "change_mode",
                Terms.charlist(tmp), mode));
        expectOk("copy_start_script", calls.call("bin script", timeouts.call(), "file", "rename", Terms.charlist(tmp),
                Terms.charlist(bin + release)));
    }

    Optional<byte[]> readFile(String path) throws FailureException {
        OtpErlangObject r = calls.call("read file", timeouts.call(), "file", "read_file", Terms.charlist(path));
        return Terms.tagged(r, "ok", 2).map(e -> ((OtpErlangBinary) e[1]).binaryValue());
    }
}
