package dev.cortado.autograd;

/**
 * Whether operations are recorded for autograd on the current thread, like {@code torch.no_grad()}.
 *
 * <pre>{@code
 * try (var g = GradMode.off()) {
 *     Tensor logits = model.forward(x);   // no graph is built
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope is closed. */
    public static Scope off() {
        return set(false);
    }

    /** Turns recording on until the returned scope is closed (inside an {@link #off()} block). */
    public static Scope on() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        Scope s = new Scope(flag, flag[0]);
        flag[0] = enabled;
        return s;
    }

    /** Restores the previous mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;

        private Scope(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            flag[0] = previous;
        }
    }
}
