/** The Graph implementation of {@link com.tekst.outlook.diagnostics.ConnectionDiagnostics}. Internal. */
package com.tekst.outlook.graph.internal.diagnostics;
