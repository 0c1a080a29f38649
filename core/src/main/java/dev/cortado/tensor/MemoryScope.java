package dev.cortado.tensor;

import dev.cortado.backend.Storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Deterministic release of memory: every storage allocated on this thread while the scope is
 * open is released when it closes, except what was kept. Parameters (leaves that require grad),
 * gradients made by backward, optimizer state and tensors passed to {@link #keep(Tensor)} live on.
 * On a GPU that returns device memory to its allocator; on the CPU, large arrays go back to a pool
 * for the next allocation of their size (small ones are left to the garbage collector and not
 * tracked). Either way a released tensor is unusable afterwards, and the same code runs everywhere.
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     try (var step = MemoryScope.open()) {
 *         optimizer.zeroGrad();
 *         Tensor loss = F.crossEntropy(model.forward(b.x()), b.y());
 *         loss.backward();
 *         optimizer.step();
 *         total += loss.item();
 *     }
 * }
 * }</pre>
 *
 * <p>Scopes nest and belong to the thread that opened them; they must close in reverse order.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final Thread owner = Thread.currentThread();
    private final Set<Storage> made = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    /** Opens a scope nested in the current one (if any) on this thread. */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Records newly allocated storage in the innermost open scope of this thread. */
    static void track(Storage storage) {
        if (!storage.releasable()) {
            return;
        }
        MemoryScope s = CURRENT.get();
        if (s != null) {
            s.made.add(storage);
        }
    }

    /** Takes t's storage out of every open scope of this thread: it lives until closed or collected. */
    public static Tensor keep(Tensor t) {
        for (MemoryScope s = CURRENT.get(); s != null; s = s.parent) {
            s.made.remove(t.storage);
        }
        return t;
    }

    /**
     * Hands t's storage from this scope to the enclosing one (or to nobody, when this is the
     * outermost), for a result that the caller of a scoped block returns.
     */
    public Tensor handOut(Tensor t) {
        checkOpen("handOut");
        if (made.remove(t.storage) && parent != null) {
            parent.made.add(t.storage);
        }
        return t;
    }

    /** Number of storages this scope will release when it closes. */
    public int tracked() {
        return made.size();
    }

    private void checkOpen(String op) {
        if (closed) {
            throw new IllegalStateException("MemoryScope." + op + ": the scope is already closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("MemoryScope." + op + ": the scope belongs to thread '" + owner.getName()
                    + "', not '" + Thread.currentThread().getName() + "'");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOpen("close");
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope.close: an inner scope opened later is still open; close scopes in reverse order");
        }
        closed = true;
        CURRENT.set(parent);
        List<Storage> release = new ArrayList<>(made);
        made.clear();
        for (Storage s : release) {
            s.release();
        }
    }
}
