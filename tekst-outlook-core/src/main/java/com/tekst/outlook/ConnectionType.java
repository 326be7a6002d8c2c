package com.tekst.outlook;

/**
 * How a Tekst connection reaches Microsoft 365 mailboxes, with what a connection wizard shows for each choice.
 *
 * <p>{@link #ORGANIZATION_WIDE} is the recommended type: an administrator consents once, the SDK then reads mailboxes
 * with application permissions, independent of anyone's sign-in.
 */
public enum ConnectionType {
    /** An administrator grants tenant-wide admin consent once; the SDK uses application permissions. */
    ORGANIZATION_WIDE(
            "Organization-wide Outlook account",
            Actor.ADMINISTRATOR,
            true,
            "No password, token or secret of the organization: the Microsoft 365 tenant id, and for sync the chosen"
                    + " mailboxes, their folders, checkpoints and the ids of the messages delivered.",
            "A Microsoft 365 administrator grants access once for the organization. Access does not depend on any"
                    + " employee's sign-in, so password rotation and MFA roll-outs break nothing, and the administrator"
                    + " restricts which mailboxes Tekst may reach."),
    /**
     * One user signs in and authorizes their own mailbox (delegated permissions). Not implemented yet: admin consent,
     * the mailbox scope and the tenant-bound Graph client refuse a personal connection.
     */
    PERSONAL(
            "Personal Outlook account",
            Actor.USER,
            false,
            "The user's refresh token.",
            "One user signs in and authorizes their own mailbox. Sync stops when that user's password changes or MFA"
                    + " is enforced, until the user connects again.");

    /** Who has to act to connect. */
    public enum Actor {
        /** A Microsoft 365 administrator able to grant tenant-wide admin consent. */
        ADMINISTRATOR,
        /** The mailbox owner, signing in with their own account. */
        USER
    }

    private final String displayName;
    private final Actor whoMustAct;
    private final boolean survivesPasswordRotationAndMfa;
    private final String whatIsStored;
    private final String description;

    ConnectionType(String displayName, Actor whoMustAct, boolean survivesPasswordRotationAndMfa,
                   String whatIsStored, String description) {
        this.displayName = displayName;
        this.whoMustAct = whoMustAct;
        this.survivesPasswordRotationAndMfa = survivesPasswordRotationAndMfa;
        this.whatIsStored = whatIsStored;
        this.description = description;
    }

    /** The label a wizard shows, e.g. "Organization-wide Outlook account". */
    public String displayName() {
        return displayName;
    }

    /** Who has to act to connect: an administrator or the user. */
    public Actor whoMustAct() {
        return whoMustAct;
    }

    /** Whether the connection keeps working after password rotation and MFA enforcement. */
    public boolean survivesPasswordRotationAndMfa() {
        return survivesPasswordRotationAndMfa;
    }

    /** What the SDK stores for a connection of this type, in words for the wizard. */
    public String whatIsStored() {
        return whatIsStored;
    }

    /** A paragraph for the wizard explaining the choice. */
    public String description() {
        return description;
    }

    /** Whether this is the recommended type ({@link #ORGANIZATION_WIDE}). */
    public boolean isRecommended() {
        return this == ORGANIZATION_WIDE;
    }
}
