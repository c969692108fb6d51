package dev.relup.e2e.cluster;

import java.time.Duration;

/**
 * Freezes one Erlang node for a while, as a stalled VM or a long stop-the-world pause would: every process of the
 * node is suspended ({@code erlang:suspend_process/1}) by a process of its own that resumes them all when the time is
 * up. The node then answers nothing: epmd (its own OS process) still names it, but the distribution handshake and
 * every call time out, as with a SIGSTOP of the BEAM. Done through one RPC, so it needs no access to the node's host
 * or PID namespace (a container's PID 1 ignores SIGSTOP sent from inside it anyway); the thaw needs nobody, so a
 * failing test cannot leave a node frozen. {@link #close()} waits until the node answers again.
 */
public final class BeamFreezer implements AutoCloseable {

    private final String node;
    private final String cookie;
    private final long thawAt;

    private BeamFreezer(String node, String cookie, long thawAt) {
        this.node = node;
        this.cookie = cookie;
        this.thawAt = thawAt;
    }

    /** Freezes {@code node} (e.g. {@code ticker@10.244.0.7}) from now for {@code duration}. */
    public static BeamFreezer freeze(String node, String cookie, Duration duration) throws Exception {
        // The freezer waits a moment first, so that this RPC's answer leaves the node before its sender is suspended.
        ErlangNodes.eval(node, cookie, """
                Me = self(),
                Freezer = spawn(fun() ->
                    receive after 300 -> ok end,
                    Self = self(),
                    System = fun(P) -> case erlang:process_info(P, registered_name) of
                                           {registered_name, N} -> lists:prefix("erts_", atom_to_list(N));
                                           _ -> false
                                       end end,
                    Suspend = fun(P) -> try erlang:suspend_process(P) catch _:_ -> false end end,
                    Frozen = [P || P <- erlang:processes(), P =/= Self, not System(P), Suspend(P)],
                    receive after %d -> ok end,
                    [catch erlang:resume_process(P) || P <- Frozen]
                end),
                Me =/= Freezer.
                """.formatted(duration.toMillis()));
        Thread.sleep(1_000); // frozen by now
        return new BeamFreezer(node, cookie, System.nanoTime() + duration.toNanos() - 1_000_000_000L);
    }

    /** Waits for the thaw, then for the node to answer an RPC again. */
    @Override
    public void close() throws Exception {
        long left = thawAt - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                ErlangNodes.rpc(node, cookie, 5_000, "erlang", "node");
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(node + " does not answer after its thaw", e);
                }
                Thread.sleep(500);
            }
        }
    }
}
