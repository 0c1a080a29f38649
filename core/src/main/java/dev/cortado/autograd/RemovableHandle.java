package dev.cortado.autograd;

/**
 * What registering a hook returns, like PyTorch's {@code RemovableHandle}: {@link #remove()}
 * unregisters the hook (a second call does nothing). It is {@link AutoCloseable}, so a hook can
 * be scoped to a try-with-resources block.
 */
public final class RemovableHandle implements AutoCloseable {
    private final Runnable removal;
    private boolean removed;

    public RemovableHandle(Runnable removal) {
        this.removal = removal;
    }

    public void remove() {
        if (!removed) {
            removed = true;
            removal.run();
        }
    }

    @Override
    public void close() {
        remove();
    }
}
