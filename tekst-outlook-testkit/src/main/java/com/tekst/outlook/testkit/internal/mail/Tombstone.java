package com.tekst.outlook.testkit.internal.mail;

import java.time.Instant;

/**
 * A message that left a folder (moved out or deleted) at change {@code seq}: delta rounds of that folder report it
 * as {@code @removed}. Keeps both id forms the client may know it by. Internal.
 */
public record Tombstone(long seq, long number, String restId, String immutableId, Instant receivedDateTime) {
}
