package dev.relup.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the controller last saw of one pod and its Erlang node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodState {
    private String name;
    private String uid;
    /** The release version the node runs (release_handler state current or permanent); null when unreachable. */
    private String version;
    /** release_handler state of {@link #version}: permanent or current. */
    private String state;
    /** Every release the node knows (which_releases). */
    private List<ReleaseEntry> releases = new ArrayList<>();
    private Integer restartCount;
    private Boolean ready;
    /** Why the node could not be read, when it could not. */
    private String message;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getUid() { return uid; }
    public void setUid(String uid) { this.uid = uid; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public List<ReleaseEntry> getReleases() { return releases; }
    public void setReleases(List<ReleaseEntry> releases) { this.releases = releases; }
    public Integer getRestartCount() { return restartCount; }
    public void setRestartCount(Integer restartCount) { this.restartCount = restartCount; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override public boolean equals(Object o) {
        return o instanceof PodState p && Objects.equals(name, p.name) && Objects.equals(uid, p.uid)
                && Objects.equals(version, p.version) && Objects.equals(state, p.state)
                && Objects.equals(releases, p.releases) && Objects.equals(restartCount, p.restartCount)
                && Objects.equals(ready, p.ready) && Objects.equals(message, p.message);
    }
    @Override public int hashCode() { return Objects.hash(name, uid, version, state, releases, restartCount, ready, message); }
}
