package dev.relup.operator.decide;

/** Condition reasons (CamelCase, as Kubernetes conventions want). */
public final class Reasons {
    public static final String CREATING = "Creating";
    public static final String PODS_STARTING = "PodsStarting";
    public static final String NODES_STARTING = "NodesStarting";
    public static final String NODE_UNREACHABLE = "NodeUnreachable";
    public static final String PODS_NOT_READY = "PodsNotReady";
    public static final String ALL_PODS_ON_VERSION = "AllPodsOnDesiredVersion";
    public static final String MOVING = "Moving";
    public static final String BUILDING = "Building";
    public static final String UPGRADING = "HotUpgrading";
    public static final String RESTARTING = "Restarting";
    public static final String BUILD_FAILED = "BuildFailed";
    public static final String NOT_HOT_UPGRADABLE = "NotHotUpgradable";
    /** The target's shipped appup does not upgrade from the running version, and no route through a known image does. */
    public static final String NO_HOT_PATH = "NoHotPath";
    /** The build Job's throwaway node failed the upgrade: no pod was touched. */
    public static final String REHEARSAL_FAILED = "RehearsalFailed";
    public static final String UPGRADE_FAILED = "UpgradeFailed";
    /** Soft purge refused: processes still run old code (spec.purge.modules can choose brutal for the module). */
    public static final String OLD_PROCESSES = "OldProcesses";
    public static final String IMAGE_VERSION_MISMATCH = "ImageVersionMismatch";
    public static final String MOVE_TIMED_OUT = "MoveTimedOut";
    public static final String DEGRADED = "Degraded";
    public static final String RETRYING = "Retrying";
    public static final String API_REJECTED = "ApiRejected";
    public static final String PODS_FAILING = "PodsFailing";
    public static final String NODES_NOT_ANSWERING = "NodesNotAnswering";
    public static final String CHECKING_HEALTH = "CheckingHealth";
    public static final String CANARY_SOAKING = "CanarySoaking";
    public static final String ROLLING_BACK = "RollingBack";
    public static final String AWAITING_APPROVAL = "AwaitingApproval";
    public static final String ROLLED_BACK = "RolledBack";
    public static final String MOVE_FAILED = "MoveFailed";

    public static final String CONFIG_REJECTED = "ConfigRejected";
    public static final String APPLYING_CONFIG = "ApplyingConfig";
    public static final String ROLLING_BACK_CONFIG = "RollingBackConfig";
    public static final String CONFIG_ROLLED_BACK = "ConfigRolledBack";
    public static final String CONFIG_FAILED = "ConfigFailed";

    private Reasons() {}
}
