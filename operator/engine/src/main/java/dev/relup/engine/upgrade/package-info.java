/**
 * Whole moves between versions: {@link dev.relup.engine.upgrade.NodeMove} (to the release in a package, or to a
 * version still on the node). It observes the node and lets the pure {@link dev.relup.engine.upgrade.Plan} pick
 * the next {@link dev.relup.engine.upgrade.Step}, so a step that already happened is skipped and a step left
 * undone by a mover that died is found. The operator calls {@code next()} and {@code perform(step)} once per
 * action; relupctl calls {@code run()}.
 */
package dev.relup.engine.upgrade;
