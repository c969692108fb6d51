package dev.relup.engine.config;

/** What became of one application's {@code Mod:config_change/3} during an apply. */
public record Callback(Outcome outcome, String detail) {

    public enum Outcome {
        /** Called and returned {@code ok}; {@code detail} shows the call with its arguments. */
        CALLED,
        /** The env changed but the callback module has no {@code config_change/3} (OTP does not require one). */
        NOT_EXPORTED,
        /** A library application (no {@code mod}): nothing to tell. */
        NO_CALLBACK_MODULE,
        /** Loaded but not started: the env is set, it is read when the application starts. */
        NOT_RUNNING,
        /** The env did not change (e.g. the override equals the running value): nothing called. */
        UNCHANGED,
        /** Returned something else than {@code ok}, or crashed; the env stays set, as install_release leaves it. */
        FAILED
    }

    public boolean failed() {
        return outcome == Outcome.FAILED;
    }
}
