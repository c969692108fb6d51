package dev.relup.engine.handler;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import dev.relup.engine.node.Terms;
import java.util.List;

/**
 * The versions a relup file covers: {@code {Vsn, [{UpFromVsn, Descr, Instrs}], [{DownToVsn, Descr, Instrs}]}}.
 * release_handler looks for the path in the target's relup (up entries) first, then in the running
 * release's relup (down entries); {@link UpgradePath} does the same lookup, but before anything is installed.
 */
public record RelupFile(String vsn, List<String> upFrom, List<String> downTo) {

    public RelupFile {
        upFrom = List.copyOf(upFrom);
        downTo = List.copyOf(downTo);
    }

    public static RelupFile fromTerm(OtpErlangObject term) {
        if (!(term instanceof OtpErlangTuple t) || t.arity() != 3) {
            throw new IllegalArgumentException("not a relup term: " + Terms.show(term, 200));
        }
        return new RelupFile(Terms.text(t.elementAt(0)), versions(t.elementAt(1)), versions(t.elementAt(2)));
    }

    private static List<String> versions(OtpErlangObject entries) {
        return Terms.elements(entries).stream().map(e -> {
            if (e instanceof OtpErlangTuple t && t.arity() == 3) {
                return Terms.text(t.elementAt(0));
            }
            throw new IllegalArgumentException("not a relup entry: " + Terms.show(e, 200));
        }).toList();
    }
}
