package dev.relup.operator.node;

/**
 * How to reach one release node: {@code release@podIp} in pod {@code namespace/pod}, with the cookie of its
 * ErlangRelease. {@link #toString()} never shows the cookie.
 */
public record NodeRef(String namespace, String pod, String release, String host, char[] cookie) {

    public String nodeName() {
        return release + "@" + host;
    }

    @Override
    public String toString() {
        return pod + " (" + nodeName() + ")";
    }
}
