package dev.relup.engine.handler;

/**
 * A process that still runs old code of a module, as the node describes it.
 *
 * @param pid             as {@code pid_to_list/1} prints it on the node ({@code <0.290.0>}), what a remote shell
 *                        takes
 * @param currentFunction {@code M:F/A} from {@code process_info(Pid, current_function)}, or {@code "exited"}
 */
public record OldCodeProcess(String pid, String currentFunction) {

    @Override
    public String toString() {
        return pid + " in " + currentFunction;
    }
}
