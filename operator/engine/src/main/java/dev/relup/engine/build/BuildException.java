package dev.relup.engine.build;

/** The builder refused or failed; the message is its one-line stderr (or why it could not be run). */
public class BuildException extends Exception {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
