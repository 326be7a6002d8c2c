/** Tenant-bound, scope-guarded Microsoft Graph SDK clients on the SDK's OkHttp stack. Internal. */
package com.tekst.outlook.graph.internal.graphsdk;
