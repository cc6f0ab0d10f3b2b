package io.duetdb.cli;

/** duetctl's output is its results: the libraries it embeds log warnings and errors only. */
final class Logging {
    private Logging() {
    }

    static void quiet() {
        // slf4j-simple reads these once, when the first logger is made.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
}
