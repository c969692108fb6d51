/**
 * Running the relup builder escript ({@code operator/builder/relup_builder}, shipped inside this jar) under
 * the to-release's own ERTS, and its JSON report as a {@link dev.relup.engine.build.BuildReport}.
 */
package dev.relup.engine.build;
