package dev.relup.engine.handler;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A release upgrade package on local disk ({@code <rel>-<vsn>.tar.gz}, as the builder or {@code rebar3 tar}
 * makes it), with what the engine must know before sending it anywhere: the release name and version
 * (from {@code releases/<vsn>/<rel>.rel}), the text of its relup, and checksums.
 *
 * <p>The tar is read here with a small ustar reader rather than a dependency: only a few members are needed.
 */
public record ReleasePackage(Path file, String release, String vsn, long size, String sha256, String md5,
        Optional<String> relupText) {

    private static final Pattern REL = Pattern.compile("releases/([^/]+)/([^/]+)\\.rel");

    public static ReleasePackage read(Path file) throws FailureException {
        if (!Files.isRegularFile(file)) {
            throw invalid(file + " is not a file");
        }
        List<String[]> rels = new ArrayList<>();
        List<String[]> relups = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                Matcher m = REL.matcher(name);
                if (m.matches()) {
                    rels.add(new String[] {m.group(2), m.group(1)});
                } else if (name.matches("releases/[^/]+/relup")) {
                    relups.add(new String[] {name.split("/")[1], new String(tar.read(e), StandardCharsets.UTF_8)});
                }
            }
        } catch (IOException e) {
            throw invalid(file + " is not a readable .tar.gz: " + e.getMessage());
        }
        String base = file.getFileName().toString();
        String[] chosen = rels.size() == 1 ? rels.get(0)
                : rels.stream().filter(r -> base.equals(r[0] + "-" + r[1] + ".tar.gz")).findFirst().orElse(null);
        if (chosen == null) {
            throw invalid(file + " holds " + rels.size() + " releases/<vsn>/<rel>.rel files; cannot tell which "
                    + "release it is (name it <rel>-<vsn>.tar.gz)");
        }
        String vsn = chosen[1];
        Optional<String> relup = relups.stream().filter(r -> r[0].equals(vsn)).map(r -> r[1]).findFirst();
        try {
            return new ReleasePackage(file, chosen[0], vsn, Files.size(file), digest(file, "SHA-256"),
                    digest(file, "MD5"), relup);
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The bytes of one member of the tarball (e.g. {@code lib/APP-VSN/ebin/APP.appup}), if present. */
    public Optional<byte[]> member(String name) throws FailureException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            TarReader tar = new TarReader(in);
            for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
                String n = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (n.equals(name)) {
                    return Optional.of(tar.read(e));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw invalid(file + " is not a readable .tar.gz: " + e.getMessage());
        }
    }

    /** Where release_handler wants it: {@code releases/<vsn>/<rel>.tar.gz} under the release root. */
    public String pathUnder(String root) {
        return root + "/releases/" + vsn + "/" + release + ".tar.gz";
    }

    /** The argument of {@code unpack_release}: {@code "<vsn>/<rel>"}, relative to releases/. */
    public String unpackName() {
        return vsn + "/" + release;
    }

    static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FailureException invalid(String detail) {
        return new FailureException(new Failure.InvalidPackage(detail));
    }

    /** Just enough of ustar (plus GNU long names and pax paths) to find members by name. */
    static final class TarReader {
        record Entry(String name, long size, char type) {
        }

        private final InputStream in;
        private long pendingSkip;

        TarReader(InputStream in) {
            this.in = in;
        }

        Entry next() throws IOException {
            skipFully(pendingSkip);
            pendingSkip = 0;
            String longName = null;
            while (true) {
                byte[] h = in.readNBytes(512);
                if (h.length < 512 || isZero(h)) {
                    return null;
                }
                String name = cString(h, 0, 100);
                long size = Long.parseLong(cString(h, 124, 12).trim().isEmpty() ? "0" : cString(h, 124, 12).trim(), 8);
                char type = (char) (h[156] == 0 ? '0' : h[156]);
                String prefix = cString(h, 345, 155);
                if (new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar") && !prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long padded = (size + 511) / 512 * 512;
                if (type == 'L') {
                    longName = cString(in.readNBytes((int) padded), 0, (int) size);
                    continue;
                }
                if (type == 'x') {
                    String pax = new String(in.readNBytes((int) padded), 0, (int) size, StandardCharsets.UTF_8);
                    Matcher m = Pattern.compile("\\d+ path=([^\n]*)\n").matcher(pax);
                    if (m.find()) {
                        longName = m.group(1);
                    }
                    continue;
                }
                if (longName != null) {
                    name = longName;
                }
                pendingSkip = padded;
                return new Entry(name, size, type);
            }
        }

        byte[] read(Entry e) throws IOException {
            byte[] data = in.readNBytes((int) e.size());
            pendingSkip -= e.size();
            return data;
        }

        private void skipFully(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("truncated tar");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private static boolean isZero(byte[] b) {
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        private static String cString(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && end < b.length && b[end] != 0) {
                end++;
            }
            return new String(b, off, end - off, StandardCharsets.UTF_8);
        }
    }
}
