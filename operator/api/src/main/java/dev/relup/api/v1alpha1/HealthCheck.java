package dev.relup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A function the operator calls on a node after its move (and during the canary's soak) to ask if it works. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheck {

    static final String ATOM_RULE = "self.matches('^[a-z][a-zA-Z0-9_@]*$')";

    @Required
    @Size(min = 1, max = 255)
    @ValidationRule(value = ATOM_RULE, message = "module must be an Erlang module name (an unquoted atom)")
    @JsonPropertyDescription("Module of the check, e.g. my_app_health.")
    private String module;

    @Required
    @Size(min = 1, max = 255)
    @ValidationRule(value = ATOM_RULE, message = "function must be an Erlang function name (an unquoted atom)")
    @JsonPropertyDescription("Function of the check. It passes when it returns ok or true; anything else, a crash or "
            + "a timeout fails it, and the answer is shown.")
    private String function;

    @Default("\"[]\"")
    @Size(max = 4096)
    @ValidationRule(value = "self.trim().startsWith('[') && self.trim().endsWith(']')",
            message = "args must be an Erlang list as text, e.g. [] or [5000, <<\"key\">>]")
    @JsonPropertyDescription("Arguments as an Erlang list in text, e.g. [] or [5000, <<\"key\">>]. Default [].")
    private String args = "[]";

    @Default("10")
    @Min(1)
    @Max(600)
    @JsonPropertyDescription("How long the check may take, in seconds. Default 10.")
    private Integer timeoutSeconds = 10;

    public String getModule() { return module; }
    public void setModule(String module) { this.module = module; }
    public String getFunction() { return function; }
    public void setFunction(String function) { this.function = function; }
    public String getArgs() { return args; }
    public void setArgs(String args) { this.args = args; }
    public Integer getTimeoutSeconds() { return timeoutSeconds; }
    public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }

    /** How it reads in messages: {@code mod:fun([args])}. */
    public String describe() {
        String a = args == null ? "[]" : args.trim();
        return module + ":" + function + "(" + a.substring(1, a.length() - 1).trim() + ")";
    }
}
