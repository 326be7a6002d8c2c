package com.tekst.outlook.examples.wizard;

/** Server-rendered pages: escaping and the common layout. No JavaScript beyond the copy button. */
final class Html {
    private Html() {
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String page(String title, String body) {
        return page(title, body, 0);
    }

    /** A whole page; {@code refreshSeconds} > 0 reloads it (the status page). */
    static String page(String title, String body, int refreshSeconds) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + " · Tekst</title>" + (refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds
                + "\">" : "") + "<style>" + STYLE + "</style></head><body><header><a href=\"/\">Tekst</a> · "
                + "Integrations</header><main><h1>" + esc(title) + "</h1>" + body + "</main></body></html>";
    }

    static String error(String message) {
        return "<p class=\"error\" id=\"error\">" + esc(message) + "</p>";
    }

    static String notice(String message) {
        return "<p class=\"notice\" id=\"notice\">" + esc(message) + "</p>";
    }

    /** A form posting to {@code action} with the session's CSRF token. */
    static String form(String action, String csrf, String id, String fields, String button) {
        return "<form method=\"post\" action=\"" + esc(action) + "\" id=\"" + esc(id) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">" + fields
                + "<button type=\"submit\">" + esc(button) + "</button></form>";
    }

    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1f}"
            + "header{background:#243b6b;color:#fff;padding:10px 24px}header a{color:#fff;font-weight:bold}"
            + "main{padding:16px 24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left;vertical-align:top}"
            + ".error{background:#fde7e9;border-left:4px solid #c50f1f;padding:8px}"
            + ".notice{background:#e7f3fd;border-left:4px solid #0f6cbd;padding:8px}"
            + ".card{border:1px solid #ccc;border-radius:6px;padding:12px;margin:8px 0}"
            + ".muted{color:#666}pre{background:#f4f4f4;padding:8px;overflow:auto;max-height:320px}"
            + "progress{width:220px}form{display:inline-block;margin:4px 0}button{margin:2px}"
            + ".PASS{color:#107c10}.WARN{color:#9d5d00}.FAIL{color:#c50f1f}.SKIPPED{color:#666}";
}
