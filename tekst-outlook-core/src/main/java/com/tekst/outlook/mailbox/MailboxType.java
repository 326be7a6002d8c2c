package com.tekst.outlook.mailbox;

import java.util.Locale;

/** The kind of an Exchange Online mailbox, from Graph's {@code mailboxSettings.userPurpose}. */
public enum MailboxType {
    USER, SHARED, ROOM, EQUIPMENT, LINKED, OTHERS, UNKNOWN;

    /** Maps a {@code userPurpose} value (any case); unknown or absent values are {@link #UNKNOWN}. */
    public static MailboxType fromUserPurpose(String userPurpose) {
        if (userPurpose == null) {
            return UNKNOWN;
        }
        return switch (userPurpose.toLowerCase(Locale.ROOT)) {
            case "user" -> USER;
            case "shared" -> SHARED;
            case "room" -> ROOM;
            case "equipment" -> EQUIPMENT;
            case "linked" -> LINKED;
            case "others" -> OTHERS;
            default -> UNKNOWN;
        };
    }

    /** The {@code userPurpose} spelling of this type. */
    public String userPurpose() {
        return this == UNKNOWN ? "unknownFutureValue" : name().toLowerCase(Locale.ROOT);
    }
}
