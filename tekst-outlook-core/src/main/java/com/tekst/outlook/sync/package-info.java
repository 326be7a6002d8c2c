/**
 * Live sync and backfill: the {@link com.tekst.outlook.sync.SyncEngine}, what it hands to the application
 * ({@link com.tekst.outlook.sync.MessagePage} of {@link com.tekst.outlook.sync.MailMessage} to a
 * {@link com.tekst.outlook.sync.MessageSink}, events to a {@link com.tekst.outlook.sync.SyncListener}) and the port it
 * reads mail through ({@link com.tekst.outlook.sync.MailSource}, implemented by {@code tekst-outlook-graph}).
 *
 * <p>Parameters and return values are non-null unless documented otherwise; {@link java.util.Optional} is used only
 * as a return type. No type in this package renders message content (subject, body, preview) or delta/next links in
 * its {@code toString()}.
 */
package com.tekst.outlook.sync;
