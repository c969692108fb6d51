package dev.relup.engine.config;

/** Where persisted overrides went: the merged {@code sysConfig} and the release's own copy kept as {@code base}. */
public record Persisted(String vsn, String sysConfig, String base) {}
