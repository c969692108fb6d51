package dev.relup.engine.handler;

import com.ericsson.otp.erlang.OtpErlangObject;
import dev.relup.engine.node.Terms;
import java.util.List;

/** One entry of {@code release_handler:which_releases()}: {@code {Name, Vsn, Apps, State}}. */
public record Release(String name, String vsn, List<String> apps, ReleaseState state) {

    public Release {
        apps = List.copyOf(apps);
    }

    static Release fromTerm(OtpErlangObject term) {
        if (!(term instanceof com.ericsson.otp.erlang.OtpErlangTuple t) || t.arity() != 4) {
            throw new IllegalArgumentException("not a which_releases entry: " + term);
        }
        List<String> apps = Terms.elements(t.elementAt(2)).stream().map(Terms::text).toList();
        return new Release(Terms.text(t.elementAt(0)), Terms.text(t.elementAt(1)), apps,
                ReleaseState.fromAtom(Terms.text(t.elementAt(3))));
    }
}
