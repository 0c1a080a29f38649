package dev.cortado.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Draws figures where the Java runtime can: a runtime without the java.desktop module (a jlink'd
 * one), without the plotting jars, or without the fonts Java2D needs on a headless server still
 * runs every experiment to its results and report; the figures are then left out, said once.
 * The drawing classes are reached only through here, so that their missing classes surface as
 * errors this catches instead of failing the experiment's own classes as they load.
 */
final class Figures {
    static {
        // Figures are drawn into images; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
    }

    /** Writes one figure to its file. */
    interface Drawing {
        void draw(Path png) throws IOException;
    }

    private static final AtomicBoolean SAID = new AtomicBoolean();

    private Figures() {
    }

    /**
     * Draws png; false, having said why the first time, where this runtime cannot draw. An
     * IOException (the file cannot be written) is the caller's, as for any other output.
     */
    static boolean draw(Path png, Drawing drawing) throws IOException {
        try {
            drawing.draw(png);
            return true;
        } catch (IOException e) {
            throw e;
        } catch (LinkageError | InternalError | RuntimeException e) {
            if (SAID.compareAndSet(false, true)) {
                System.err.println("figures are not drawn (" + e + "); results.json and report.md are written all the same");
            }
            return false;
        }
    }
}
