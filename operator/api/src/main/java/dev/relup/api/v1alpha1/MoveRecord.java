package dev.relup.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One finished move, kept in status.history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MoveRecord {
    private String from;
    private String to;
    private Method method;
    private String start;
    private String end;
    private MoveResult result;
    private String message;

    public MoveRecord() {}
    public MoveRecord(String from, String to, Method method, String start, String end, MoveResult result, String message) {
        this.from = from; this.to = to; this.method = method; this.start = start; this.end = end;
        this.result = result; this.message = message;
    }

    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public Method getMethod() { return method; }
    public void setMethod(Method method) { this.method = method; }
    public String getStart() { return start; }
    public void setStart(String start) { this.start = start; }
    public String getEnd() { return end; }
    public void setEnd(String end) { this.end = end; }
    public MoveResult getResult() { return result; }
    public void setResult(MoveResult result) { this.result = result; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }

    @Override public boolean equals(Object o) {
        return o instanceof MoveRecord r && Objects.equals(from, r.from) && Objects.equals(to, r.to)
                && method == r.method && Objects.equals(start, r.start) && Objects.equals(end, r.end)
                && result == r.result && Objects.equals(message, r.message);
    }
    @Override public int hashCode() { return Objects.hash(from, to, method, start, end, result, message); }
}
