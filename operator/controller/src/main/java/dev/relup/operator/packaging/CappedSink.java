package dev.relup.operator.packaging;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on at most {@code limit} bytes and remembers whether more came. It never throws for the excess: the
 * caller reads at most limit + 1 bytes ({@link OutputPull}) and asks {@link #overflowed()} once the copy ended.
 */
final class CappedSink extends OutputStream {

    private final OutputStream out;
    private final long limit;
    private long count;

    CappedSink(OutputStream out, long limit) {
        this.out = out;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        long room = Math.max(0, limit - count);
        if (room > 0) {
            out.write(b, off, (int) Math.min(room, len));
        }
        count += len;
    }

    boolean overflowed() {
        return count > limit;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
