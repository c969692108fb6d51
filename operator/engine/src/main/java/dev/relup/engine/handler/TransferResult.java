package dev.relup.engine.handler;

/**
 * What {@link ReleaseHandlerClient#transfer} did.
 *
 * @param path       where the package now lies on the node
 * @param bytes      package size
 * @param chunks     file:write_file calls made (0 when the package was already there)
 * @param algorithm  the checksum computed on the node: {@code sha256} when the node has crypto loaded,
 *                   else {@code md5} (erlang:md5/1 is an ERTS BIF; kernel and stdlib have no sha256)
 * @param checksum   hex digest, equal to the local one
 * @param skipped    true when an identical package was already in place
 */
public record TransferResult(String path, long bytes, int chunks, String algorithm, String checksum,
        boolean skipped) {
}
