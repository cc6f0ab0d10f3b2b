package io.duetdb.cli;

/** What {@code -w/--write-out} selects. */
public enum OutputFormat {
    table, json, simple
}
