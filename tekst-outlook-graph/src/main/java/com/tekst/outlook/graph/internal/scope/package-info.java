/**
 * The SDK-side mailbox scope: {@link com.tekst.outlook.graph.internal.scope.ScopeGuard}, the OkHttp interceptor that
 * refuses every request for a mailbox outside a connection's scope before any network I/O, one per connection from
 * {@link com.tekst.outlook.graph.internal.scope.ScopeGuards}. See docs/design/012-scope-guard.md. Internal.
 */
package com.tekst.outlook.graph.internal.scope;
