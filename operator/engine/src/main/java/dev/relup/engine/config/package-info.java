/**
 * Live configuration: application environment overrides in sys.config syntax, validated by the node's own parser
 * ({@link dev.relup.engine.config.LiveConfig#validate}), applied in place the way install_release applies a new
 * sys.config ({@link dev.relup.engine.config.ConfigApply}), and written into a release's sys.config so that a boot
 * or a later version move keeps them ({@link dev.relup.engine.config.LiveConfig#persist}). The Erlang evaluated on
 * the node lives next to these classes as {@code *.exprs} resources.
 */
package dev.relup.engine.config;
