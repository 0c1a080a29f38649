package dev.cortado.examples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown report ({@code report.md}): headings, text, tables and the plots next to it. */
public final class Report {
    private final StringBuilder md = new StringBuilder();
    /** Where each image goes in md (its offset) and its markdown, known only once the folder is: see {@link #write}. */
    private final List<Image> images = new ArrayList<>();

    private record Image(int at, String alt, String file) {
    }

    public Report(String title) {
        md.append("# ").append(title).append("\n\n");
    }

    public Report heading(String text) {
        md.append("## ").append(text).append("\n\n");
        return this;
    }

    public Report text(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    public Report table(List<String> headers, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", headers)).append(" |\n|");
        md.append(" --- |".repeat(headers.size())).append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        return this;
    }

    /** An image that lies next to the report; a note in its place where it was not drawn ({@link Figures}). */
    public Report image(String alt, String file) {
        images.add(new Image(md.length(), alt, file));
        return this;
    }

    public Report code(String text) {
        md.append("```\n").append(text.strip()).append("\n```\n\n");
        return this;
    }

    /** A number with {@code digits} decimals, or "–" for NaN. */
    public static String num(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * Writes report.md into dir and says what lies there for it, for the experiment's closing line:
     * "report.md and plots", or which plots are missing where the runtime could not draw them.
     */
    public String write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder out = new StringBuilder(md);
        int drawn = 0;
        for (int i = images.size() - 1; i >= 0; i--) {
            Image im = images.get(i);
            boolean there = Files.isRegularFile(dir.resolve(im.file()));
            drawn += there ? 1 : 0;
            out.insert(im.at(), there ? "![" + im.alt() + "](" + im.file() + ")\n\n"
                    : "*(" + im.alt() + ": " + im.file() + " was not drawn; this Java runtime cannot draw figures)*\n\n");
        }
        Files.writeString(dir.resolve("report.md"), out.toString());
        if (drawn == images.size()) {
            return images.isEmpty() ? "report.md" : "report.md and plots";
        }
        return drawn == 0 ? "report.md (no plots: this Java runtime cannot draw them)"
                : "report.md and " + drawn + " of its " + images.size() + " plots (this Java runtime could not draw the others)";
    }
}
