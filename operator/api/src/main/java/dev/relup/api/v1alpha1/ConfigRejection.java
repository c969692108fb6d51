package dev.relup.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A {@code spec.config} the node refused before any pod was touched (the seed's {@code .rej} file). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigRejection {
    @JsonPropertyDescription("The text of spec.config that was rejected.")
    private String text;
    @JsonPropertyDescription("Why, in the node's words (parse error with its line, shape, unknown application).")
    private String reason;
    @JsonPropertyDescription("When it was rejected.")
    private String time;

    public ConfigRejection() {
    }

    public ConfigRejection(String text, String reason, String time) {
        this.text = text;
        this.reason = reason;
        this.time = time;
    }

    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
}
