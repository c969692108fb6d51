package dev.relup.operator.node;

import java.io.IOException;
import java.nio.file.Files;

import dev.relup.engine.handler.ReleasePackage;
import dev.relup.operator.packaging.PackageCache;

/**
 * Refuses to send a package that is not the one fetched from the build. Called once per transfer, right before it:
 * the file is hashed again (the package cache does not hash on each pass, and the parsed package is kept while the
 * file's size and time are unchanged, which a swap can keep). The parsed package must match too: the node checks
 * the bytes it received against the parsed package's checksum, so a swap between this check and the copy is
 * refused on the node and never renamed into place.
 */
final class TransferGuard {

    private TransferGuard() {}

    static void verify(String pod, PackageFile expected, ReleasePackage parsed) throws NodeFailure {
        String onDisk;
        try {
            onDisk = PackageCache.sha256(expected.file());
        } catch (IOException e) {
            throw new NodeFailure(NodeFailure.Kind.PACKAGE_FAILED, pod + ": cannot read the package " + expected.file()
                    + " before its transfer: " + e.getMessage(), e);
        }
        if (!onDisk.equals(expected.sha256()) || !parsed.sha256().equals(expected.sha256())) {
            String now = onDisk.equals(expected.sha256()) ? parsed.sha256() : onDisk;
            drop(expected);
            throw new NodeFailure(NodeFailure.Kind.PACKAGE_FAILED, pod + ": the package " + expected.file().getFileName()
                    + " changed since it was fetched (sha256 now " + now + ", recorded " + expected.sha256()
                    + "); refused before transfer and dropped from the cache, so a retry rebuilds it");
        }
    }

    /** A retry must not find it again: the cache does not hash on its own (see above). */
    private static void drop(PackageFile f) {
        try {
            Files.deleteIfExists(f.file());
        } catch (IOException e) {
            // the next transfer refuses it again
        }
    }
}
