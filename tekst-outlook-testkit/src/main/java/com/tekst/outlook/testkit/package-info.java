/**
 * Fake Microsoft 365 tenants for tests: {@link com.tekst.outlook.testkit.FakeMicrosoftCloud} serves the identity
 * platform and Microsoft Graph over HTTPS on loopback, so the real msal4j, OkHttp and Graph SDK run against it
 * unchanged. No Microsoft account is needed.
 */
package com.tekst.outlook.testkit;
