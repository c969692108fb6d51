package dev.relup.engine.handler;

import java.util.Locale;

/** The states {@code release_handler:which_releases()} reports (see the table atop release_handler.erl). */
public enum ReleaseState {
    /** Installed and the one a (re)start boots. */
    PERMANENT,
    /** Installed and running, but a restart would boot the permanent one. */
    CURRENT,
    /** On disk, never installed. */
    UNPACKED,
    /** Was installed once; can be installed again (that is how a downgrade works). */
    OLD;

    public static ReleaseState fromAtom(String atom) {
        return valueOf(atom.toUpperCase(Locale.ROOT));
    }

    public String atom() {
        return name().toLowerCase(Locale.ROOT);
    }
}
