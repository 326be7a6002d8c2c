/**
 * The OkHttp stack every Graph request of the SDK goes through: client-request-id, guards (the scope guard, retries,
 * the per-mailbox limiter), authentication, logging with redaction, and the mapping of Graph's answers to the SDK's
 * typed exceptions; {@code GraphUrls} builds URLs with every value encoded. Internal.
 */
package com.tekst.outlook.graph.internal.http;
