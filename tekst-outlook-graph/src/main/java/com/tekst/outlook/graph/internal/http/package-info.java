/**
 * The OkHttp stack every Graph request of the SDK goes through: client-request-id, authentication, logging with
 * redaction, and the mapping of Graph's answers to the SDK's typed exceptions. Internal.
 */
package com.tekst.outlook.graph.internal.http;
