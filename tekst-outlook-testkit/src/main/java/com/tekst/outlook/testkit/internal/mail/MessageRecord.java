package com.tekst.outlook.testkit.internal.mail;

import com.tekst.outlook.testkit.FakeMessage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One version of a message in a mailbox. Immutable: a change makes a new record with a new change sequence number,
 * version and change key, so a page being rendered never sees a message change under it. Renderings are cached per
 * record. Internal.
 */
public final class MessageRecord {
    /** Number of the message in its mailbox, from 1; never reused. */
    public final long number;
    public final String immutableId;
    /** The REST id; changes on every move. */
    public final String restId;
    /** How many times the message moved (part of the REST id). */
    public final int location;
    public final String folderId;
    public final int folderNumber;
    /** The mailbox change sequence number of this version. */
    public final long changeSeq;
    public final int version;
    public final String changeKey;
    public final Instant createdDateTime;
    public final Instant lastModifiedDateTime;
    public final String internetMessageId;
    public final String conversationKey;
    public final String conversationId;
    public final String conversationIndex;
    public final String subject;
    public final FakeMessage.Recipient from;
    public final List<FakeMessage.Recipient> toRecipients;
    public final List<FakeMessage.Recipient> ccRecipients;
    public final Instant receivedDateTime;
    public final Instant sentDateTime;
    public final String bodyHtml;
    public final String bodyPreview;
    public final boolean hasAttachments;
    public final String importance;
    public final boolean isRead;
    public final List<String> categories;
    public final String flagStatus;

    private final ConcurrentHashMap<Object, byte[]> renders = new ConcurrentHashMap<>(4);

    MessageRecord(long number, String immutableId, String restId, int location, String folderId, int folderNumber,
                  long changeSeq, int version, String changeKey, Instant createdDateTime,
                  Instant lastModifiedDateTime, String internetMessageId, String conversationKey,
                  String conversationId, String conversationIndex, String subject, FakeMessage.Recipient from,
                  List<FakeMessage.Recipient> toRecipients, List<FakeMessage.Recipient> ccRecipients,
                  Instant receivedDateTime, Instant sentDateTime, String bodyHtml, String bodyPreview,
                  boolean hasAttachments, String importance, boolean isRead, List<String> categories,
                  String flagStatus) {
        this.number = number;
        this.immutableId = immutableId;
        this.restId = restId;
        this.location = location;
        this.folderId = folderId;
        this.folderNumber = folderNumber;
        this.changeSeq = changeSeq;
        this.version = version;
        this.changeKey = changeKey;
        this.createdDateTime = createdDateTime;
        this.lastModifiedDateTime = lastModifiedDateTime;
        this.internetMessageId = internetMessageId;
        this.conversationKey = conversationKey;
        this.conversationId = conversationId;
        this.conversationIndex = conversationIndex;
        this.subject = subject;
        this.from = from;
        this.toRecipients = List.copyOf(toRecipients);
        this.ccRecipients = List.copyOf(ccRecipients);
        this.receivedDateTime = receivedDateTime;
        this.sentDateTime = sentDateTime;
        this.bodyHtml = bodyHtml;
        this.bodyPreview = bodyPreview;
        this.hasAttachments = hasAttachments;
        this.importance = importance;
        this.isRead = isRead;
        this.categories = List.copyOf(categories);
        this.flagStatus = flagStatus;
    }

    /** A new version after a move, a flag change or a categorization. */
    MessageRecord next(String newRestId, int newLocation, String newFolderId, int newFolderNumber, long seq,
                       String newChangeKey, Instant now, boolean newIsRead, List<String> newCategories,
                       String newImportance, String newFlagStatus) {
        return new MessageRecord(number, immutableId, newRestId, newLocation, newFolderId, newFolderNumber, seq,
                version + 1, newChangeKey, createdDateTime, now, internetMessageId, conversationKey, conversationId,
                conversationIndex, subject, from, toRecipients, ccRecipients, receivedDateTime, sentDateTime,
                bodyHtml, bodyPreview, hasAttachments, newImportance, newIsRead, newCategories, newFlagStatus);
    }

    /** A cached rendering of this version, or {@code null}. */
    public byte[] cachedRender(Object key) {
        return renders.get(key);
    }

    /** Caches a rendering of this version (a handful of shapes at most per version). */
    public void cacheRender(Object key, byte[] bytes) {
        if (renders.size() < 8) {
            renders.put(key, bytes);
        }
    }
}
