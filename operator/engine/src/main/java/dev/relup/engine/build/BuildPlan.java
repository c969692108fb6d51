package dev.relup.engine.build;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The build report's {@code plan} (docs/contract.md): what the relup will run on a node, per application, in the
 * order it runs it. Values only; {@link PlanWords} says it in words.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BuildPlan(
        @JsonProperty("apps") List<App> apps,
        @JsonProperty("relup_instructions") int relupInstructions) {

    public BuildPlan {
        apps = apps == null ? List.of() : List.copyOf(apps);
    }

    /** One application; {@code from} is null for an added one, {@code to} for a removed one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record App(
            @JsonProperty("app") String app,
            @JsonProperty("from") String from,
            @JsonProperty("to") String to,
            @JsonProperty("appup") String appup,
            @JsonProperty("instructions") List<Instruction> instructions) {

        public App {
            instructions = instructions == null ? List.of() : List.copyOf(instructions);
        }
    }

    /** One instruction; every field but {@code kind} may be null (the builder leaves out what does not apply). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Instruction(
            @JsonProperty("kind") String kind,
            @JsonProperty("module") String module,
            @JsonProperty("behaviour") String behaviour,
            @JsonProperty("purge") String purge,
            @JsonProperty("detail") String detail) {}
}
