package dev.cortado.tensor;

import dev.cortado.backend.Storage;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The storage made while a backward pass runs on this thread. A gradient in such storage was
 * made by the pass itself, so no tensor from before it (a forward result, the caller's seed
 * gradient) can be a view of it: a leaf's accumulator may keep it as the leaf's grad.
 */
final class BackwardPass {
    private static final ThreadLocal<Set<Storage>> MADE = new ThreadLocal<>();

    private BackwardPass() {
    }

    /** Runs a backward pass, recording what it allocates; nested passes record their own. */
    static void run(Runnable pass) {
        Set<Storage> outer = MADE.get();
        MADE.set(Collections.newSetFromMap(new IdentityHashMap<>()));
        try {
            pass.run();
        } finally {
            MADE.set(outer);
        }
    }

    static void made(Storage storage) {
        Set<Storage> s = MADE.get();
        if (s != null) {
            s.add(storage);
        }
    }

    /** Whether storage was allocated by the backward pass running on this thread. */
    static boolean madeByThisPass(Storage storage) {
        Set<Storage> s = MADE.get();
        return s != null && s.contains(storage);
    }
}
