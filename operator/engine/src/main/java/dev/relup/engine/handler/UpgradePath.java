package dev.relup.engine.handler;

import java.util.Optional;

/**
 * A path between two release versions that release_handler will accept, found the way it looks for one:
 * an up entry for the running version in the target's relup, else a down entry for the target in the
 * running release's relup (and then the target must still be on the node).
 *
 * <p>{@code check_install_release} is no proof: it says ok when the target has no relup at all.
 */
public record UpgradePath(String from, String to, Direction direction) {

    public enum Direction { UP, DOWN }

    /**
     * @param targetRelup   the target release's relup, if it has one
     * @param runningRelup  the running release's relup, if it has one
     * @param targetOnNode  whether the target is unpacked or installed on the node (required to go down)
     * @return the path, or the {@link Failure.NoUpgradePath} explaining why there is none
     */
    public static PathOrFailure find(String from, String to, Optional<RelupFile> targetRelup,
            Optional<RelupFile> runningRelup, boolean targetOnNode) {
        if (from.equals(to)) {
            return new PathOrFailure(null, new Failure.NoUpgradePath(from, to, to + " is already running"));
        }
        if (targetRelup.map(r -> r.upFrom().contains(from)).orElse(false)) {
            return new PathOrFailure(new UpgradePath(from, to, Direction.UP), null);
        }
        if (runningRelup.map(r -> r.downTo().contains(to)).orElse(false)) {
            if (!targetOnNode) {
                return new PathOrFailure(null, new Failure.NoUpgradePath(from, to,
                        "the relup of " + from + " can go down to " + to + ", but " + to + " is no longer on the node"));
            }
            return new PathOrFailure(new UpgradePath(from, to, Direction.DOWN), null);
        }
        String up = targetRelup.map(r -> "the relup of " + to + " upgrades only from " + r.upFrom())
                .orElse(to + " has no relup");
        String down = runningRelup.map(r -> "the relup of " + from + " downgrades only to " + r.downTo())
                .orElse(from + " has no relup");
        return new PathOrFailure(null, new Failure.NoUpgradePath(from, to, up + "; " + down));
    }

    /** Either a path or the reason there is none. */
    public record PathOrFailure(UpgradePath path, Failure.NoUpgradePath failure) {
        public boolean found() {
            return path != null;
        }
    }
}
