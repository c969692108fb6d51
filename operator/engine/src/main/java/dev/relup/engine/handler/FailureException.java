package dev.relup.engine.handler;

/** Carries a {@link Failure}; the only checked exception the engine's public API throws. */
public class FailureException extends Exception {

    private final transient Failure failure;

    public FailureException(Failure failure) {
        this(failure, null);
    }

    public FailureException(Failure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
