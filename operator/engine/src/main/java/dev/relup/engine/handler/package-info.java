/**
 * OTP's release_handler on a running node, one step per method ({@link
 * dev.relup.engine.handler.ReleaseHandlerClient}): transfer, unpack, path check, install, make permanent
 * (with the bin script copy), remove; every wait bounded by {@link dev.relup.engine.handler.Timeouts}.
 * Failures are a closed set, {@link dev.relup.engine.handler.Failure}, carried by {@link
 * dev.relup.engine.handler.FailureException}: a reconciler switches over the type and shows {@code kind()}
 * and {@code message()}, never a raw Erlang term.
 */
package dev.relup.engine.handler;
