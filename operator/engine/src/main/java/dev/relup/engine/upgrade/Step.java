package dev.relup.engine.upgrade;

/** The steps that move a node to another release version, in the order they happen. */
public enum Step {
    /** Refuse early: is there a relup path from the running version to the target? Read-only. */
    CHECK_PATH,
    /** Write the package to releases/VSN/REL.tar.gz on the node and verify its checksum there. */
    TRANSFER,
    /** release_handler:unpack_release/1. */
    UNPACK,
    /** release_handler:install_release/2: the hot code change itself (path checked again first). */
    INSTALL,
    /** release_handler:make_permanent/1: RELEASES and start_erl.data name the target. */
    MAKE_PERMANENT,
    /**
     * bin/REL-VSN copied over bin/REL. A step of its own because relx's start script hard-codes its version: a
     * node that is permanent on the target but still has the old script boots the OLD version when restarted,
     * so a mover that stopped between make_permanent and the copy must find the copy still to do.
     */
    COPY_START_SCRIPT,
    /** Nothing left to do: the target is permanent and bin/REL starts it. */
    DONE
}
