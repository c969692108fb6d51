package dev.relup.operator.packaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import dev.relup.api.v1alpha1.ErlangReleaseSpec;
import dev.relup.api.v1alpha1.Move;
import dev.relup.api.v1alpha1.Purge;

/** Deterministic names of build Jobs: one per (resource, from, to, images, purge options, rehearsal options). */
public final class BuildNames {

    /** Between the ErlangRelease's name and the spec hash in a build Job's name. */
    private static final String JOB_INFIX = "-relup-";

    private BuildNames() {}

    /** A hash of everything that determines the package. Also the key of the package cache. */
    public static String specHash(Move move, ErlangReleaseSpec spec) {
        Purge purge = spec == null ? null : spec.getPurge();
        StringBuilder sb = new StringBuilder()
                .append(move.getFrom()).append('\n').append(move.getTo()).append('\n')
                .append(move.getFromImage()).append('\n').append(move.getToImage()).append('\n');
        if (purge != null) {
            sb.append(purge.getMode()).append('\n');
            Map<String, Object> sorted = new TreeMap<>(purge.getModules() == null ? Map.of() : purge.getModules());
            sorted.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        }
        // a build without rehearsal keeps the hash it had before rehearsals existed
        RehearsalOptions.of(spec).ifPresent(r -> sb.append(r.identity()));
        return sha256(sb.toString()).substring(0, 10);
    }

    /** {@code <cr>-relup-<hash>}, at most 63 characters (Job names become pod label values). */
    public static String jobName(String crName, Move move, ErlangReleaseSpec spec) {
        String suffix = JOB_INFIX + specHash(move, spec);
        String base = crName.length() + suffix.length() > 63 ? crName.substring(0, 63 - suffix.length()) : crName;
        base = base.replaceAll("[-.]+$", "");
        return base + suffix;
    }

    /** The ErlangRelease part of a {@link #jobName} (cut to fit 63 characters, as the name was). */
    public static String releaseOfJob(String job) {
        int at = job.lastIndexOf(JOB_INFIX);
        return at < 0 ? job : job.substring(0, at);
    }

    /** Kubernetes label values allow [A-Za-z0-9_.-]; release versions may have '+'. */
    public static String labelValue(String s) {
        String v = s == null ? "" : s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return v.length() > 63 ? v.substring(0, 63) : v;
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
