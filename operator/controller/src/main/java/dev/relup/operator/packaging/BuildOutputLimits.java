package dev.relup.operator.packaging;

/**
 * Upper bounds on what a build Job may hand the operator: its report and its package are read into memory and onto
 * the operator's disk, and they come from the user's images.
 */
public record BuildOutputLimits(long maxReportBytes, long maxPackageBytes) {

    /** 1 MiB of report (a real one is a few KiB), 512 MiB of package. */
    public static final BuildOutputLimits DEFAULT = new BuildOutputLimits(1L << 20, 512L << 20);

    public BuildOutputLimits {
        if (maxReportBytes < 1 || maxPackageBytes < 1) {
            throw new IllegalArgumentException("build output limits must be positive");
        }
    }
}
