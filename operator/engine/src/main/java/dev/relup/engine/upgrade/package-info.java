/**
 * Whole moves between versions: {@link dev.relup.engine.upgrade.InPlaceUpgrade} (to a package) and {@link
 * dev.relup.engine.upgrade.Downgrade} (to a version still on the node). Both observe the node and let the pure
 * {@link dev.relup.engine.upgrade.Plan} pick the next {@link dev.relup.engine.upgrade.Step}, so a step that
 * already happened is skipped. A reconciler calls {@code next()} and {@code perform(step)} once per pass;
 * relupctl calls {@code run()}.
 */
package dev.relup.engine.upgrade;
