/**
 * Talking to an Erlang node over the distribution protocol (OTP's own Jinterface): {@link
 * dev.relup.engine.node.RemoteNode} connects with a unique hidden-node name, classifies connect failures
 * (epmd unreachable, name not registered, handshake refused = wrong cookie) within seconds, and runs RPCs
 * through {@code rex} with a timeout per call. {@link dev.relup.engine.node.Terms} converts terms.
 * The cookie is a {@link dev.relup.engine.node.Cookie}, which never prints.
 */
package dev.relup.engine.node;
