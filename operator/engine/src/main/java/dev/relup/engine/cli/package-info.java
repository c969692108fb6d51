/** {@code relupctl} (launched by the script at the repository root): relup, install, downgrade, status. */
package dev.relup.engine.cli;
