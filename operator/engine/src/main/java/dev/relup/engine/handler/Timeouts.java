package dev.relup.engine.handler;

import java.time.Duration;

/**
 * Every wait the client does has a bound here. release_handler's own calls wait forever; when one of
 * these expires the client gives up waiting, not the node, so state must be observed again.
 *
 * @param connect     TCP connect to epmd and to the node (the handshake gets twice this)
 * @param call        short calls: which_releases, file reads, path checks, each transfer chunk
 * @param unpack      unpack_release (about 0.2-0.3 s for a 3.6 MB package on 2 cores)
 * @param install     install_release as a whole; must exceed {@code codeChange}
 * @param codeChange  passed to install_release as code_change_timeout and suspend_timeout
 * @param restart     how long to wait for a node to come back after init:restart (failed code_change)
 */
public record Timeouts(Duration connect, Duration call, Duration unpack, Duration install, Duration codeChange,
        Duration restart) {

    public Timeouts {
        if (install.compareTo(codeChange) <= 0) {
            throw new IllegalArgumentException("the install timeout must exceed the code_change timeout");
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    public Timeouts withInstall(Duration install, Duration codeChange) {
        return new Timeouts(connect, call, unpack, install, codeChange, restart);
    }

    public Timeouts withConnect(Duration connect) {
        return new Timeouts(connect, call, unpack, install, codeChange, restart);
    }
}
