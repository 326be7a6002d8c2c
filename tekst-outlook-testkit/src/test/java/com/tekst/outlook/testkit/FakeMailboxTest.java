package com.tekst.outlook.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The public mailbox API: folders, delivery, moves, deletes, flags, and safety while a client syncs. */
class FakeMailboxTest {

    static FakeTenant tenant() {
        return FakeTenant.builder("contoso")
                .user("alice@contoso.onmicrosoft.com")
                .sharedMailbox("support@contoso.onmicrosoft.com")
                .userWithoutMailbox("guest@contoso.onmicrosoft.com", FakeUser.NoMailboxReason.GUEST)
                .build();
    }

    @Test
    void everyMailboxStartsWithExchangesWellKnownFolders() {
        FakeMailbox alice = tenant().mailbox("ALICE@contoso.onmicrosoft.com");
        assertThat(alice.folders()).extracting(FakeFolder::displayName).containsExactly("Inbox", "Drafts",
                "Sent Items", "Deleted Items", "Outbox", "Junk Email", "Archive", "Conversation History",
                "Conversation Action Settings", "Quick Step Settings");
        assertThat(alice.folder("SentItems").wellKnownName()).contains("sentitems");
        assertThat(alice.folder("inbox").id()).isEqualTo(alice.folder(alice.folder("inbox").id()).id());
        assertThat(alice.findFolder(alice.folder("inbox").id().toLowerCase())).isEmpty();
        FakeFolder projects = alice.createFolder("inbox", "Projects");
        FakeFolder nested = alice.createFolder("Inbox/Projects", "2026");
        assertThat(nested.path()).isEqualTo("Inbox/Projects/2026");
        assertThat(nested.parentFolderId()).isEqualTo(projects.id());
        assertThat(alice.folder("inbox").childFolderCount()).isEqualTo(1);
        assertThatThrownBy(() -> alice.createFolder("inbox", "projects")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> alice.deleteFolder("inbox")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tenant().mailbox("guest@contoso.onmicrosoft.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GUEST");
    }

    @Test
    void deliverMoveReadCategorizeAndDeleteKeepIdsAndCountsStraight() {
        FakeMailbox alice = tenant().mailbox("alice@contoso.onmicrosoft.com");
        FakeMessage first = alice.deliver(FakeMessage.builder().from("Bob Stone", "bob@fabrikam.com")
                .to("alice@contoso.onmicrosoft.com").subject("Order 7").body("<p>Hello &amp; welcome</p>")
                .receivedAt(Instant.parse("2026-01-01T10:00:00.750Z")));
        FakeMessage reply = alice.deliver(FakeMessage.builder().from("bob@fabrikam.com").inReplyTo(first));
        assertThat(first.receivedDateTime()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(first.bodyPreview()).isEqualTo("Hello & welcome");
        assertThat(reply.subject()).isEqualTo("RE: Order 7");
        assertThat(reply.conversationId()).isEqualTo(first.conversationId());
        assertThat(reply.receivedDateTime()).isEqualTo(FakeClock.DEFAULT_START);
        assertThat(alice.folder("inbox").totalItemCount()).isEqualTo(2);
        assertThat(alice.folder("inbox").unreadItemCount()).isEqualTo(2);

        FakeMessage read = alice.markRead(first);
        assertThat(read.isRead()).isTrue();
        assertThat(read.changeKey()).isNotEqualTo(first.changeKey());
        assertThat(read.id()).isEqualTo(first.id());
        assertThat(alice.folder("inbox").unreadItemCount()).isEqualTo(1);

        FakeMessage moved = alice.move(first, "archive");
        assertThat(moved.id()).isNotEqualTo(first.id());
        assertThat(moved.immutableId()).isEqualTo(first.immutableId());
        assertThat(alice.findMessage(first.id())).isEmpty();
        assertThat(alice.message(first.immutableId()).parentFolderId()).isEqualTo(alice.folder("archive").id());

        FakeMessage categorized = alice.categorize(moved, "Red category");
        assertThat(categorized.categories()).containsExactly("Red category");
        alice.delete(categorized);
        assertThat(alice.messages()).extracting(FakeMessage::immutableId).containsExactly(reply.immutableId());
        assertThat(alice.messages("recoverableitemsdeletions")).hasSize(1);
        alice.delete(categorized);
        assertThat(alice.messageCount()).isEqualTo(1);
        assertThat(alice.current(first)).isEmpty();
    }

    @Test
    void removingAndDisablingMailboxesChangesWhatGraphAnswers() {
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted().user("alice@contoso.onmicrosoft.com")
                        .user("bob@contoso.onmicrosoft.com"))
                .start()) {
            FakeTenant t = cloud.tenant("contoso");
            GraphHttp http = new GraphHttp(cloud, t);
            String alice = t.mailbox("alice@contoso.onmicrosoft.com").objectId().value();
            assertThat(http.get("/users/" + alice + "/messages").status()).isEqualTo(200);
            t.disableMailbox("alice@contoso.onmicrosoft.com", FakeUser.NoMailboxReason.SOFT_DELETED);
            assertThat(http.get("/users/" + alice + "/messages").errorCode()).isEqualTo("MailboxNotEnabledForRESTAPI");
            assertThat(http.get("/users/" + alice).status()).isEqualTo(200);
            t.removeUser("bob@contoso.onmicrosoft.com");
            assertThat(http.get("/users/bob@contoso.onmicrosoft.com/messages").errorCode())
                    .isEqualTo("ErrorInvalidUser");
            t.revokeConsent(cloud.app());
            assertThat(http.get("/users").status()).as("issued tokens keep working until they expire").isEqualTo(200);
        }
    }

    @Test
    void aClientSyncingWhileTheMailboxChangesEndsWithTheMailboxsContent() throws Exception {
        try (FakeMicrosoftCloud cloud = FakeMicrosoftCloud.builder()
                .tenant(FakeTenant.builder("contoso").consentGranted()
                        .generate(TenantGenerator.builder(21).userMailboxes(1).sharedMailboxes(0)
                                .messagesPerMailbox(200).build()))
                .start()) {
            FakeMailbox box = cloud.tenant("contoso").mailboxes().get(0);
            GraphHttp http = new GraphHttp(cloud, cloud.tenant("contoso"));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger changes = new AtomicInteger();
            Thread mutator = new Thread(() -> {
                Random random = new Random(5);
                while (!stop.get()) {
                    List<FakeMessage> inbox = box.messages("inbox");
                    int op = random.nextInt(5);
                    try {
                        if (op == 0 || inbox.size() < 20) {
                            box.deliver(FakeMessage.builder().from("load@fabrikam.com").subject("load " + changes.get()));
                        } else if (op == 1) {
                            box.move(inbox.get(random.nextInt(inbox.size())), "archive");
                        } else if (op == 2) {
                            box.delete(inbox.get(random.nextInt(inbox.size())));
                        } else if (op == 3) {
                            box.markRead(inbox.get(random.nextInt(inbox.size())).immutableId(), random.nextBoolean());
                        } else {
                            box.move(box.messages("archive").get(0), "inbox");
                        }
                        changes.incrementAndGet();
                    } catch (IllegalArgumentException raced) {
                        // the message moved on between the snapshot and the change: fine
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            mutator.start();
            Set<String> view = new HashSet<>();
            String url = "/users/" + box.objectId() + "/mailFolders/inbox/messages/delta?$select=subject";
            String[] prefer = {"Prefer", "odata.maxpagesize=25", "Prefer", "IdType=\"ImmutableId\""};
            // as many changes and rounds as it takes, however fast this machine is (the deadline only stops a hang)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String deltaLink = sync(http, url, prefer, view);
            int rounds = 0;
            while ((changes.get() < 200 || rounds < 20) && System.nanoTime() < deadline) {
                deltaLink = sync(http, deltaLink, prefer, view);
                rounds++;
            }
            stop.set(true);
            mutator.join();
            sync(http, deltaLink, prefer, view);
            Set<String> expected = new HashSet<>();
            box.messages("inbox").forEach(m -> expected.add(m.immutableId()));
            assertThat(changes.get()).as("changes while the client synced").isGreaterThanOrEqualTo(200);
            assertThat(rounds).as("delta rounds while the mailbox changed").isGreaterThanOrEqualTo(20);
            assertThat(view).isEqualTo(expected);
        }
    }

    private static String sync(GraphHttp http, String url, String[] prefer, Set<String> view) {
        while (true) {
            GraphHttp.Answer a = http.get(url, prefer);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode page = a.json();
            for (JsonNode i : page.path("value")) {
                if (i.has("@removed")) {
                    view.remove(i.path("id").asText());
                } else {
                    view.add(i.path("id").asText());
                }
            }
            if (page.has("@odata.deltaLink")) {
                return page.path("@odata.deltaLink").asText();
            }
            url = page.path("@odata.nextLink").asText();
        }
    }
}
