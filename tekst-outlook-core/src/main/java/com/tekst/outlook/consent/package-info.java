/**
 * Step 2 of the connection wizard: admin consent. {@link com.tekst.outlook.consent.AdminConsentFlow} builds Microsoft's
 * admin-consent URL with a signed, expiring, single-use {@code state}, parses the redirect back into a
 * {@link com.tekst.outlook.consent.ConsentOutcome}, and proves a granted consent by acquiring an app-only token.
 */
package com.tekst.outlook.consent;
