package dev.relup.e2e.operator;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The events the operator logged, with the millisecond timestamps of its log ({@code HH:mm:ss.SSS}, see
 * {@code quarkus.log.console.format}); the Event objects in the API carry only seconds. Each Event the operator
 * writes is logged as {@code NS/NAME Normal|Warning REASON: message} just before it is written.
 */
final class OperatorLog {

    /** One logged event; {@code millis}: milliseconds since the day began (of the first line read), may pass 24 h. */
    record Entry(long millis, String namespace, String name, String type, String reason, String message) {
    }

    private static final Pattern EVENT = Pattern.compile(
            "^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) +\\S+ +\\[[^\\]]*KubernetesEvents\\] (\\S+)/(\\S+) (Normal|Warning) (\\w+): (.*)$");

    private final Path file;

    OperatorLog(Path file) {
        this.file = file;
    }

    /** Where the log ends now: read from here to see only what comes later. */
    long mark() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            return f.length();
        }
    }

    /** The events logged since {@code mark} about the ErlangRelease {@code ns/name}, in order. */
    List<Entry> eventsSince(long mark, String ns, String name) throws IOException {
        String text;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) Math.max(0, f.length() - mark)];
            f.seek(mark);
            f.readFully(b);
            text = new String(b, StandardCharsets.UTF_8);
        }
        return parse(text.lines().toList()).stream().filter(e -> e.namespace().equals(ns) && e.name().equals(name)).toList();
    }

    /** The event lines of {@code lines}; a time earlier than the one before is taken as the next day's. */
    static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        long day = 0;
        long previous = -1;
        for (String line : lines) {
            Matcher m = EVENT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long t = ((Long.parseLong(m.group(1)) * 60 + Long.parseLong(m.group(2))) * 60 + Long.parseLong(m.group(3)))
                    * 1000 + Long.parseLong(m.group(4));
            if (previous >= 0 && t + day < previous - 60_000) {
                day += 86_400_000L;
            }
            previous = t + day;
            out.add(new Entry(t + day, m.group(5), m.group(6), m.group(7), m.group(8), m.group(9)));
        }
        return out;
    }
}
