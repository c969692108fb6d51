package dev.relup.api.v1alpha1;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;

/** Purge options handed to the relup builder. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Purge {

    @Default("soft")
    @JsonPropertyDescription("Purge mode for every changed module unless overridden: soft (default) or brutal. Soft: a "
            + "process still running old code of a module stops the move before anything changes (reason OldProcesses, "
            + "naming the module and the pids); brutal: such processes are killed.")
    private PurgeMode mode = PurgeMode.soft;

    @JsonPropertyDescription("Per-module purge mode, module name -> soft|brutal, e.g. {my_mod: brutal} to let a move "
            + "through that soft purge refused for my_mod.")
    private Map<String, PurgeMode> modules = new LinkedHashMap<>();

    public PurgeMode getMode() { return mode; }
    public void setMode(PurgeMode mode) { this.mode = mode; }
    public Map<String, PurgeMode> getModules() { return modules; }
    public void setModules(Map<String, PurgeMode> modules) { this.modules = modules; }
}
