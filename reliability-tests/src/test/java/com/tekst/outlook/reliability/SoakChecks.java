package com.tekst.outlook.reliability;

import com.tekst.outlook.reliability.SinkLog.Delivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The "nothing is lost" verdict, from what the sink durably recorded and what the fake cloud holds now. Folder keys
 * are {@code mailboxId/folderId}; message ids are immutable ids.
 *
 * <ul>
 *   <li><b>missing messages</b>: a message in a synced folder of the fake (received inside the window) whose last
 *       sink event in that folder is not an add — never delivered there, or delivered and then removed;</li>
 *   <li><b>missing removals</b>: a message the sink received in a folder, no longer in that folder of the fake,
 *       without a removal after its last add there;</li>
 *   <li><b>foreign duplicates</b>: a message delivered under an id that is not an immutable id the fake issued, or
 *       one {@code internetMessageId} delivered under two ids in one folder (duplicates must carry the same id);</li>
 *   <li><b>duplicates %</b>: add deliveries beyond the first per (folder, id), over distinct (folder, id) adds.</li>
 * </ul>
 */
final class SoakChecks {
    private static final int SHOWN = 8;

    /** The outcome; {@link #converged()} when nothing is missing. */
    record Verdict(int expectedMessages, List<String> missingMessages, int removalsExpected, int removalsSeen,
                   List<String> missingRemovals, List<String> foreignDuplicates, long addDeliveries,
                   long distinctAdds, List<String> missingMessageIds, List<String> missingRemovalIds) {
        boolean converged() {
            return missingMessages.isEmpty() && missingRemovals.isEmpty();
        }

        double duplicatePercent() {
            return distinctAdds == 0 ? 0 : 100.0 * (addDeliveries - distinctAdds) / distinctAdds;
        }

        static String sample(List<String> items) {
            List<String> shown = items.subList(0, Math.min(SHOWN, items.size()));
            return String.join(", ", shown) + (items.size() > SHOWN ? ", … (" + items.size() + " in all)" : "");
        }
    }

    private SoakChecks() {
    }

    /**
     * @param deliveries every sink row, in commit order
     * @param current    per synced folder key, the immutable ids the fake holds there now (inside the window)
     * @param knownIds   every immutable id the fake issued during the run
     */
    static Verdict verdict(List<Delivery> deliveries, Map<String, Set<String>> current, Set<String> knownIds) {
        // last event per (folder, id), and every folder+id that was ever added
        Map<String, Map<String, Delivery>> last = new HashMap<>();
        Map<String, Map<String, Set<String>>> idsByInternetId = new TreeMap<>();
        Map<String, Long> addsPerKey = new LinkedHashMap<>();
        List<String> foreign = new ArrayList<>();
        Set<String> foreignSeen = new HashSet<>();
        for (Delivery d : deliveries) {
            last.computeIfAbsent(d.folderKey(), k -> new HashMap<>()).put(d.id(), d);
            if (d.isAdd()) {
                addsPerKey.merge(d.folderKey() + "|" + d.id(), 1L, Long::sum);
                if (!knownIds.contains(d.id()) && foreignSeen.add(d.id())) {
                    foreign.add(d.folder() + ":" + d.id() + " (not an immutable id of the fake)");
                }
                if (d.internetMessageId() != null) {
                    idsByInternetId.computeIfAbsent(d.folderKey(), k -> new TreeMap<>())
                            .computeIfAbsent(d.internetMessageId(), k -> new HashSet<>()).add(d.id());
                }
            }
        }
        idsByInternetId.forEach((folder, byImid) -> byImid.forEach((imid, ids) -> {
            if (ids.size() > 1) {
                foreign.add(folder + ": one internetMessageId under ids " + ids);
            }
        }));

        int expected = 0;
        List<String> missing = new ArrayList<>();
        List<String> missingIds = new ArrayList<>();
        for (Map.Entry<String, Set<String>> f : new TreeMap<>(current).entrySet()) {
            Map<String, Delivery> inFolder = last.getOrDefault(f.getKey(), Map.of());
            for (String id : new java.util.TreeSet<>(f.getValue())) {
                expected++;
                Delivery d = inFolder.get(id);
                if (d == null) {
                    missing.add(shortFolder(f.getKey()) + ":" + id + " never delivered");
                    missingIds.add(id);
                } else if (!d.isAdd()) {
                    missing.add(shortFolder(f.getKey()) + ":" + id + " last event a removal");
                    missingIds.add(id);
                }
            }
        }

        int removalsExpected = 0;
        int removalsSeen = 0;
        List<String> missingRemovals = new ArrayList<>();
        List<String> missingRemovalIds = new ArrayList<>();
        for (Map.Entry<String, Map<String, Delivery>> f : new TreeMap<>(last).entrySet()) {
            Set<String> now = current.get(f.getKey());
            if (now == null) {
                continue; // not a synced folder
            }
            for (Delivery d : f.getValue().values()) {
                boolean everAdded = addsPerKey.containsKey(f.getKey() + "|" + d.id());
                if (!everAdded || now.contains(d.id())) {
                    continue;
                }
                removalsExpected++;
                if (d.isAdd()) {
                    missingRemovals.add(shortFolder(f.getKey()) + ":" + d.id() + " (last add in run " + d.run() + ", "
                            + d.pageKind().toLowerCase(java.util.Locale.ROOT) + ")");
                    missingRemovalIds.add(d.id() + "|" + d.pageKind());
                } else {
                    removalsSeen++;
                }
            }
        }
        missingRemovals.sort(null);
        long adds = addsPerKey.values().stream().mapToLong(Long::longValue).sum();
        return new Verdict(expected, missing, removalsExpected, removalsSeen, missingRemovals, foreign, adds,
                addsPerKey.size(), missingIds, missingRemovalIds);
    }

    private static String shortFolder(String key) {
        int slash = key.indexOf('/');
        String mailbox = key.substring(0, slash);
        return mailbox.substring(0, Math.min(8, mailbox.length())) + "/" + tail(key.substring(slash + 1));
    }

    private static String tail(String folderId) {
        return folderId.length() <= 12 ? folderId : "…" + folderId.substring(folderId.length() - 12);
    }
}
