package dev.relup.engine.build;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code relup_rehearse} printed (docs/contract.md): the upgrade a package makes, tried on a throwaway node
 * booted from the from-release before any real node is touched. {@code failedStep} and {@code crash} are set only
 * when it failed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rehearsal(
        @JsonProperty("result") String result,
        @JsonProperty("release") String release,
        @JsonProperty("from") String from,
        @JsonProperty("to") String to,
        @JsonProperty("millis") long millis,
        @JsonProperty("steps") List<Step> steps,
        @JsonProperty("failed_step") String failedStep,
        @JsonProperty("crash") String crash) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step of the rehearsal: boot, unpack, install, ..., stop; {@code detail} says what happened. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Step(
            @JsonProperty("step") String step,
            @JsonProperty("millis") long millis,
            @JsonProperty("result") String result,
            @JsonProperty("detail") String detail) {

        public boolean ok() {
            return "ok".equals(result);
        }
    }

    public Rehearsal {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** Parses the escript's stdout: one object {@code {"rehearsal": {...}}} with a result of passed or failed. */
    public static Rehearsal parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json.strip());
        JsonNode body = root == null ? null : root.get("rehearsal");
        if (body == null || !body.isObject()) {
            throw new IOException("not a rehearsal report (no \"rehearsal\" object)");
        }
        Rehearsal r = JSON.treeToValue(body, Rehearsal.class);
        if (!PASSED.equals(r.result()) && !FAILED.equals(r.result())) {
            throw new IOException("rehearsal result is '" + r.result() + "', not passed or failed");
        }
        return r;
    }

    public boolean passed() {
        return PASSED.equals(result);
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> name.equals(s.step())).findFirst();
    }

    /** E.g. "boot 900 ms, unpack 120 ms, ..., stop 40 ms": the timings of a RehearsalPassed event. */
    public String timings() {
        return steps.stream().map(s -> s.step() + " " + s.millis() + " ms" + (s.ok() ? "" : " (failed)"))
                .collect(Collectors.joining(", "));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(java.util.Map.of("rehearsal", this));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
