/**
 * Diagnostics: why a connection is not syncing, and what to do about it.
 *
 * <p>{@link com.tekst.outlook.diagnostics.ConnectionDiagnostics#run} returns a
 * {@link com.tekst.outlook.diagnostics.DiagnosticReport}: ordered {@link com.tekst.outlook.diagnostics.CheckResult}s,
 * each {@code PASS}, {@code WARN}, {@code FAIL} or {@code SKIPPED}, with the evidence it rests on (HTTP status, error
 * code, Graph request-id, times) and a remediation addressed to the person who can act. The report renders as plain
 * text ({@link com.tekst.outlook.diagnostics.DiagnosticReport#toText()}) and as JSON with a versioned schema
 * ({@link com.tekst.outlook.diagnostics.DiagnosticReport#toJson()}).
 */
package com.tekst.outlook.diagnostics;
