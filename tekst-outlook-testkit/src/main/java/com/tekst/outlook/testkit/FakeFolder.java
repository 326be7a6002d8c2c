package com.tekst.outlook.testkit;

import com.tekst.outlook.testkit.internal.mail.MailboxState;
import java.util.Optional;

/**
 * A mail folder of a fake mailbox, as it was when this snapshot was taken (counts included). Folder ids are stable:
 * they never change, with or without {@code Prefer: IdType="ImmutableId"}.
 */
public final class FakeFolder {
    private final MailboxState.FolderView view;

    FakeFolder(MailboxState.FolderView view) {
        this.view = view;
    }

    /** The folder id (opaque, case-sensitive). */
    public String id() {
        return view.id();
    }

    /** The well-known name Graph accepts in place of the id ({@code inbox}, {@code sentitems}, ...), if any. */
    public Optional<String> wellKnownName() {
        return Optional.ofNullable(view.wellKnownName());
    }

    public String displayName() {
        return view.displayName();
    }

    /** The display-name path below the root, such as {@code Inbox/Projects}; empty for the root. */
    public String path() {
        return view.path();
    }

    public String parentFolderId() {
        return view.parentFolderId();
    }

    public boolean isHidden() {
        return view.hidden();
    }

    public int childFolderCount() {
        return view.childFolderCount();
    }

    public int totalItemCount() {
        return view.totalItemCount();
    }

    public int unreadItemCount() {
        return view.unreadItemCount();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeFolder other && other.view.equals(view);
    }

    @Override
    public int hashCode() {
        return view.hashCode();
    }

    @Override
    public String toString() {
        return "FakeFolder[" + (view.path().isEmpty() ? view.displayName() : view.path()) + ", total="
                + view.totalItemCount() + ", unread=" + view.unreadItemCount() + "]";
    }
}
