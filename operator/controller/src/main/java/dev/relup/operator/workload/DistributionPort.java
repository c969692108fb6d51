package dev.relup.operator.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.relup.api.v1alpha1.PodSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/**
 * The release container's Erlang distribution on one known port, set through the environment so that the image
 * contract stays as it is (no vm.args line asked of the image): {@code -kernel inet_dist_listen_min P
 * inet_dist_listen_max P}, which erlexec reads from {@code ERL_AFLAGS} (put before its command line) and
 * {@code ERL_ZFLAGS} (put after it and after {@code ERL_FLAGS}).
 *
 * <p>Why both: when a {@code -kernel} key is given more than once (say a range in the image's vm.args, or in the
 * user's {@code ERL_FLAGS}), which one OTP takes depends on the release's sys.config (OTP 25, measured: the last when
 * sys.config sets that kernel key, else the first). Only the pin at both ends wins either way, and it must win: the
 * {@link DistributionPolicy} opens every port but epmd's and this one, so a BEAM listening elsewhere would be open to
 * all. Not {@code ERL_DIST_PORT}: relx's start script turns that into epmd-less distribution
 * ({@code -start_epmd false}), and the operator finds nodes through epmd. {@code ERL_FLAGS} stays the user's alone
 * (the samples use it for application flags); a remote shell ({@code bin/<release> remote_console}: {@code
 * -dist_listen false}) and relx's erl_call-based commands bind no listen port, so the pin in their environment does
 * not get in their way.
 *
 * <p>The user's own {@code ERL_AFLAGS} / {@code ERL_ZFLAGS} from {@code spec.pod.env} are kept inside the pin: after
 * it in {@code ERL_AFLAGS}, before it in {@code ERL_ZFLAGS}. A plain value is merged as text; one from
 * {@code valueFrom} is put under {@code RELUP_USER_<name>} and referenced as {@code $(RELUP_USER_<name>)}, which the
 * kubelet expands (it precedes the reference in the list).
 */
public final class DistributionPort {

    public static final String FIRST = "ERL_AFLAGS";
    public static final String LAST = "ERL_ZFLAGS";
    static final String USER_PREFIX = "RELUP_USER_";

    private DistributionPort() {}

    /** spec.pod.distributionPort, else {@link PodSettings#DEFAULT_DISTRIBUTION_PORT}. */
    public static int of(PodSettings pod) {
        return pod == null || pod.getDistributionPort() == null ? PodSettings.DEFAULT_DISTRIBUTION_PORT
                : pod.getDistributionPort();
    }

    /** The kernel flags that pin the listen port to {@code port}. */
    static String flags(int port) {
        return "-kernel inet_dist_listen_min " + port + " inet_dist_listen_max " + port;
    }

    /** True for the names {@link #env} owns (the user's entries of these names are merged into it, never added as they are). */
    static boolean owns(String name) {
        return FIRST.equals(name) || LAST.equals(name);
    }

    /** ERL_AFLAGS and ERL_ZFLAGS pinning {@code port}, with the user's entries of the same names ({@code userEnv}) inside. */
    static List<EnvVar> env(int port, List<EnvVar> userEnv) {
        List<EnvVar> out = new ArrayList<>();
        out.addAll(pinned(FIRST, flags(port), userEnv, true));
        out.addAll(pinned(LAST, flags(port), userEnv, false));
        return out;
    }

    private static List<EnvVar> pinned(String name, String pin, List<EnvVar> userEnv, boolean pinFirst) {
        Optional<EnvVar> user = userEnv == null ? Optional.empty()
                : userEnv.stream().filter(e -> name.equals(e.getName())).reduce((a, b) -> b); // the kubelet's choice: the last
        List<EnvVar> out = new ArrayList<>();
        String theirs = null;
        if (user.isPresent() && user.get().getValueFrom() != null) {
            out.add(new EnvVarBuilder().withName(USER_PREFIX + name).withValueFrom(user.get().getValueFrom()).build());
            theirs = "$(" + USER_PREFIX + name + ")";
        } else if (user.isPresent() && user.get().getValue() != null && !user.get().getValue().isBlank()) {
            theirs = user.get().getValue().strip();
        }
        String value = theirs == null ? pin : pinFirst ? pin + " " + theirs : theirs + " " + pin;
        out.add(new EnvVarBuilder().withName(name).withValue(value).build());
        return out;
    }
}
