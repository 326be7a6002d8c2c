package com.tekst.outlook.examples.cli;

/** A failure the CLI reports as one line on stderr with its exit code. */
final class CliException extends RuntimeException {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
