package dev.relup.api.v1alpha1;

import java.util.Objects;

/** One line of release_handler:which_releases/0 on a node. */
public class ReleaseEntry {
    private String version;
    /** permanent | current | unpacked | old */
    private String state;

    public ReleaseEntry() {}
    public ReleaseEntry(String version, String state) { this.version = version; this.state = state; }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }

    @Override public boolean equals(Object o) {
        return o instanceof ReleaseEntry r && Objects.equals(version, r.version) && Objects.equals(state, r.state);
    }
    @Override public int hashCode() { return Objects.hash(version, state); }
    @Override public String toString() { return version + ":" + state; }
}
