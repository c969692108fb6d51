package dev.relup.engine.handler;

import static dev.relup.engine.handler.NodeCalls.fail;

import java.util.List;
import java.util.Optional;

import com.ericsson.otp.erlang.OtpErlangObject;

import dev.relup.engine.node.Terms;

/** Reads relup files on a node, and parses a package's relup text there. */
final class RelupReads {

    private final NodeCalls calls;
    private final Timeouts timeouts;

    RelupReads(NodeCalls calls, Timeouts timeouts) {
        this.calls = calls;
        this.timeouts = timeouts;
    }

    /** The relup of release {@code vsn} on the node under {@code root}; empty when it has none. */
    Optional<RelupFile> read(String root, String vsn) throws FailureException {
        String path = root + "/releases/" + vsn + "/relup";
        OtpErlangObject r = calls.call("read relup", timeouts.call(), "file", "consult", Terms.charlist(path));
        Optional<OtpErlangObject[]> ok = Terms.tagged(r, "ok", 2);
        if (ok.isPresent()) {
            List<OtpErlangObject> terms = Terms.elements(ok.get()[1]);
            if (terms.size() != 1) {
                throw fail(new Failure.HandlerError("read relup", path + " holds " + terms.size() + " terms"));
            }
            return Optional.of(RelupFile.fromTerm(terms.get(0)));
        }
        if (Terms.tagged(r, "error", 2).map(e -> Terms.isAtom(e[1], "enoent")).orElse(false)) {
            return Optional.empty();
        }
        throw fail(new Failure.HandlerError("read relup", path + ": " + Terms.show(r, 200)));
    }

    /** A package's relup text, parsed by the node (the term syntax is Erlang's, so Erlang reads it). */
    OtpErlangObject parse(String text) throws FailureException {
        OtpErlangObject scanned = calls.call("parse relup", timeouts.call(), "erl_scan", "string",
                Terms.charlist(text));
        OtpErlangObject[] tokens = Terms.tagged(scanned, "ok", 3).orElseThrow(() ->
                fail(new Failure.InvalidPackage("the package's relup does not scan: " + Terms.show(scanned, 200))));
        OtpErlangObject parsed = calls.call("parse relup", timeouts.call(), "erl_parse", "parse_term", tokens[1]);
        return Terms.tagged(parsed, "ok", 2).orElseThrow(() ->
                fail(new Failure.InvalidPackage("the package's relup does not parse: " + Terms.show(parsed, 200))))[1];
    }
}
