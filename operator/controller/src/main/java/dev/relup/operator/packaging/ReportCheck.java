package dev.relup.operator.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.relup.engine.build.BuildReport;
import dev.relup.engine.build.Rehearsal;
import dev.relup.operator.packaging.BuildOutputRefused.Kind;

/**
 * Holds a build report against the move that asked for it. The report is written by a pod running the user's
 * images, so none of its values is used (as a file name, a path in the pod, a size) before it is checked here.
 */
final class ReportCheck {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** An application name as OTP writes it in an appup (an unquoted atom). */
    private static final Pattern APP = Pattern.compile("[a-z][A-Za-z0-9_@]{0,254}");
    /** Bounds of appup_from: its entries end up in status messages and are matched as patterns against versions. */
    static final int MAX_APPUP_APPS = 64;
    static final int MAX_APPUP_ENTRIES = 32;
    static final int MAX_APPUP_ENTRY_CHARS = 255;

    private ReportCheck() {}

    /** Parses a report of at most {@code limits.maxReportBytes()} bytes and checks it against {@code expected}. */
    static BuildReport accept(String job, String json, ExpectedBuild expected, BuildOutputLimits limits)
            throws BuildOutputRefused {
        long bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxReportBytes()) {
            throw tooLargeReport(job, limits);
        }
        BuildReport r;
        try {
            r = BuildReport.parse(json);
        } catch (IOException e) {
            throw new BuildOutputRefused("the build report of Job " + job + " is not one JSON object naming release,"
                    + " from, to and package: " + abbreviate(e.getMessage()));
        }
        check(job, r, expected, limits);
        return r;
    }

    /** Parses a rehearsal (bounded like the report) and checks that it rehearsed the move's versions. */
    static Rehearsal acceptRehearsal(String job, String json, ExpectedBuild e, BuildOutputLimits limits)
            throws BuildOutputRefused {
        if (json.getBytes(StandardCharsets.UTF_8).length > limits.maxReportBytes()) {
            throw new BuildOutputRefused("the rehearsal of Job " + job + " is larger than " + limits.maxReportBytes()
                    + " bytes (relup.build.max-report-bytes); refused");
        }
        Rehearsal r;
        try {
            r = Rehearsal.parse(json);
        } catch (IOException ex) {
            throw new BuildOutputRefused("the rehearsal of Job " + job + " is not one JSON object {\"rehearsal\": ...}"
                    + " with a result of passed or failed: " + abbreviate(ex.getMessage()));
        }
        if (!e.release().equals(r.release()) || !e.from().equals(r.from()) || !e.to().equals(r.to())) {
            throw new BuildOutputRefused("the rehearsal of Job " + job + " is of " + r.release() + " " + r.from() + " -> "
                    + r.to() + ", the move is " + e.release() + " " + e.from() + " -> " + e.to() + "; refused");
        }
        return r;
    }

    static BuildOutputRefused tooLargeReport(String job, BuildOutputLimits limits) {
        return new BuildOutputRefused("the build report of Job " + job + " is larger than " + limits.maxReportBytes()
                + " bytes (relup.build.max-report-bytes); refused");
    }

    private static void check(String job, BuildReport r, ExpectedBuild e, BuildOutputLimits limits)
            throws BuildOutputRefused {
        if (!r.release().equals(e.release())) {
            throw new BuildOutputRefused("the build report of Job " + job + " names release '" + r.release()
                    + "', the move is of release '" + e.release() + "' (spec.release): the images hold another release;"
                    + " refused");
        }
        if (!r.from().equals(e.from()) || !r.to().equals(e.to())) {
            throw new BuildOutputRefused(Kind.VERSION_MISMATCH, "the build report of Job " + job + " is for "
                    + r.from() + " -> " + r.to() + ", the move asked " + e.from() + " -> " + e.to()
                    + ": an image holds another version than the move says (point spec.image at an image of "
                    + e.to() + "); refused");
        }
        String file = CachePath.packageFileName(r.release(), r.to());
        String path = BuildJob.OUT + "/" + file;
        if (!r.packagePath().equals(path)) {
            throw new BuildOutputRefused("the build report of Job " + job + " names package " + r.packagePath()
                    + ", the builder writes " + path + "; refused");
        }
        if (r.sha256() == null || !SHA256.matcher(r.sha256()).matches()) {
            throw new BuildOutputRefused("the build report of Job " + job + " has sha256 '" + abbreviate(r.sha256())
                    + "', not 64 lowercase hex digits; refused");
        }
        if (r.size() > limits.maxPackageBytes()) {
            throw tooLargePackage(job, r.size() + " bytes", limits);
        }
        checkAppupFrom(job, r);
    }

    private static void checkAppupFrom(String job, BuildReport r) throws BuildOutputRefused {
        if (r.appupFrom().size() > MAX_APPUP_APPS) {
            throw new BuildOutputRefused("the build report of Job " + job + " names " + r.appupFrom().size()
                    + " applications in appup_from, more than " + MAX_APPUP_APPS + "; refused");
        }
        for (var e : r.appupFrom().entrySet()) {
            if (!APP.matcher(e.getKey()).matches()) {
                throw new BuildOutputRefused("the build report of Job " + job + " names '" + abbreviate(e.getKey())
                        + "' in appup_from, not an application name; refused");
            }
            if (e.getValue().size() > MAX_APPUP_ENTRIES || e.getValue().stream()
                    .anyMatch(v -> v == null || v.isEmpty() || v.length() > MAX_APPUP_ENTRY_CHARS)) {
                throw new BuildOutputRefused("the build report of Job " + job + " gives application " + e.getKey()
                        + " more than " + MAX_APPUP_ENTRIES + " appup_from entries, or one empty or longer than "
                        + MAX_APPUP_ENTRY_CHARS + " characters; refused");
            }
        }
    }

    static BuildOutputRefused tooLargePackage(String job, String size, BuildOutputLimits limits) {
        return new BuildOutputRefused("the package of Job " + job + " has " + size + ", more than the "
                + limits.maxPackageBytes() + " allowed (relup.build.max-package-bytes); refused, nothing kept");
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
