package com.tekst.outlook.examples.cli;

import com.tekst.outlook.store.BackfillCursor;
import com.tekst.outlook.sync.BackfillProgress;
import com.tekst.outlook.sync.ConnectionProgress;
import com.tekst.outlook.sync.FolderProgress;
import com.tekst.outlook.sync.MailboxProgress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Sync progress, one line per mailbox. On a terminal the lines are redrawn in place (ANSI cursor-up) with a bar;
 * otherwise a mailbox's line is printed again only when it changed, so a log stays readable.
 */
final class Progress {
    static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean bars;
    private List<String> last = List.of();

    Progress(PrintWriter out, boolean bars) {
        this.out = out;
        this.bars = bars;
    }

    void show(ConnectionProgress p) {
        List<String> lines = new ArrayList<>();
        for (MailboxProgress m : p.mailboxes()) {
            lines.add(line(m));
        }
        if (bars) {
            if (!last.isEmpty()) {
                out.print("\u001b[" + last.size() + "A");
            }
            for (String l : lines) {
                out.print("\r\u001b[2K" + l + "\n");
            }
        } else {
            for (int i = 0; i < lines.size(); i++) {
                if (i >= last.size() || !last.get(i).equals(lines.get(i))) {
                    out.println(lines.get(i));
                }
            }
        }
        out.flush();
        last = lines;
    }

    void finish() {
        out.flush();
    }

    String line(MailboxProgress m) {
        long delivered = 0;
        long total = 0;
        boolean complete = true;
        boolean any = false;
        for (FolderProgress f : m.folders()) {
            if (f.backfill().isPresent()) {
                BackfillProgress b = f.backfill().get();
                any = true;
                delivered += b.delivered();
                total += Math.max(b.estimatedTotal().orElse(0), b.delivered());
                complete &= b.state() == BackfillCursor.State.COMPLETE;
            }
        }
        String name = String.format("%-32s %-12s", m.address().value(), m.status());
        if (!any) {
            return name + " live sync only";
        }
        double fraction = complete ? 1.0 : total == 0 ? 0.0 : Math.min(1.0, (double) delivered / total);
        String count = delivered + (complete ? "" : " of ~" + total) + " messages" + (complete ? " (backfill complete)" : "");
        if (!bars) {
            return name + " backfill " + Math.round(fraction * 100) + "% " + count;
        }
        int filled = (int) Math.round(fraction * WIDTH);
        return name + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%",
                Math.round(fraction * 100)) + " " + count;
    }
}
