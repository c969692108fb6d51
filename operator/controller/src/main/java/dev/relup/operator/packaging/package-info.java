/**
 * Relup packages: the Kubernetes Job that builds one from the from- and to-images ({@link
 * dev.relup.operator.packaging.BuildJob}, {@link dev.relup.operator.packaging.BuildJobs}), its names, and the
 * operator's cache of fetched, verified packages ({@link dev.relup.operator.packaging.PackageCache}).
 */
package dev.relup.operator.packaging;
