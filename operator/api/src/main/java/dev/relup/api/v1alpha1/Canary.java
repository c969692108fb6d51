package dev.relup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the first pod of a move (the canary) is watched before the others follow. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Canary {

    @Default("0")
    @Min(0)
    @Max(86400)
    @JsonPropertyDescription("Seconds the canary must stay healthy (health check passing, pod Ready, BEAM not "
            + "restarted) after its move before the next pods move. Default 0.")
    private Integer soakSeconds = 0;

    public Integer getSoakSeconds() { return soakSeconds; }
    public void setSoakSeconds(Integer soakSeconds) { this.soakSeconds = soakSeconds; }
}
