package dev.cortado.examples.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A runtime that cannot draw (no java.desktop, no fonts) still runs an experiment to its results and report. */
class FiguresTest {
    @TempDir
    Path dir;

    @Test
    void aDrawingThisRuntimeCannotMakeIsLeftOut() throws IOException {
        assertFalse(Figures.draw(dir.resolve("a.png"), png -> {
            throw new NoClassDefFoundError("java/awt/Shape");
        }));
        assertFalse(Figures.draw(dir.resolve("b.png"), png -> {
            throw new InternalError("Fontconfig head is null");
        }));
        assertTrue(Figures.draw(dir.resolve("c.png"), png -> Files.writeString(png, "drawn")));
        assertEquals("drawn", Files.readString(dir.resolve("c.png")));
    }

    @Test
    void aFileThatCannotBeWrittenIsStillAnError() {
        assertThrows(IOException.class, () -> Figures.draw(dir.resolve("a.png"), png -> {
            throw new IOException("disk full");
        }));
    }

    @Test
    void theReportShowsTheFiguresDrawnAndNotesTheOthersInPlace() throws IOException {
        Files.writeString(dir.resolve("drawn.png"), "png");
        String written = new Report("T").text("before").image("first", "drawn.png").text("between").image("second", "missing.png")
                .text("after").write(dir);
        assertEquals("report.md and 1 of its 2 plots (this Java runtime could not draw the others)", written);
        assertEquals("""
                # T

                before

                ![first](drawn.png)

                between

                *(second: missing.png was not drawn; this Java runtime cannot draw figures)*

                after

                """, Files.readString(dir.resolve("report.md")));
    }

    @Test
    void theReportSaysWhatLiesNextToIt() throws IOException {
        assertEquals("report.md", new Report("T").text("no figures").write(dir));
        Files.writeString(dir.resolve("drawn.png"), "png");
        assertEquals("report.md and plots", new Report("T").image("first", "drawn.png").write(dir));
    }

    /** As in a jlink'd runtime without java.desktop (the GPU kit's): the curves are measured, the plot is noted. */
    @Test
    void anExperimentRunsToItsResultsWithoutTheDesktopModule() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.base,java.logging,java.management,java.xml,jdk.incubator.vector,jdk.unsupported",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "dev.cortado.examples.Main",
                "inductive-bias", "--quick", "--only", "q1", "--threads", "1", "--out", dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("figures are not drawn (java.lang.NoClassDefFoundError"), output);
        assertTrue(output.contains("results.json, report.md (no plots: this Java runtime cannot draw them) in " + dir), output);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("final_valid_accuracy"));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("q1-train-accuracy.png was not drawn"));
        assertFalse(Files.exists(dir.resolve("q1-train-accuracy.png")));
    }
}
