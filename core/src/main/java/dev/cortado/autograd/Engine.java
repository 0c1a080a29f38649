package dev.cortado.autograd;

import dev.cortado.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs back-propagation from one node. Iterative (an explicit stack, never recursion) so
 * graphs of any depth work, and in dependency order so each node runs once with its whole
 * gradient summed.
 */
public final class Engine {
    private Engine() {
    }

    /** Back-propagates grad from root into every leaf's {@code grad} (and retained gradients). */
    public static void backward(Node root, Tensor grad, boolean retainGraph) {
        backward(root, grad, retainGraph, false);
    }

    /**
     * As {@link #backward(Node, Tensor, boolean)}; with createGraph the backward formulas run with
     * grad mode on, so the gradients they make are recorded and can be differentiated again.
     */
    public static void backward(Node root, Tensor grad, boolean retainGraph, boolean createGraph) {
        run(new Node[] {root}, new Tensor[] {grad}, retainGraph, createGraph, null);
    }

    /**
     * The gradients that reach {@code inputs} from {@code roots} seeded with {@code seeds}, as
     * {@code torch.autograd.grad} computes them: no leaf's {@code grad} changes, and only nodes on
     * a path to an input run. An entry is null where no gradient reached that input.
     */
    public static Tensor[] grad(Node[] roots, Tensor[] seeds, Node[] inputs, boolean retainGraph) {
        return grad(roots, seeds, inputs, retainGraph, false);
    }

    /** As {@link #grad(Node[], Tensor[], Node[], boolean)}, recording the gradients' own graph when createGraph. */
    public static Tensor[] grad(Node[] roots, Tensor[] seeds, Node[] inputs, boolean retainGraph, boolean createGraph) {
        Tensor[] captured = new Tensor[inputs.length];
        Map<Node, int[]> captures = new IdentityHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            // An input named twice gets the same gradient in both places.
            int[] at = captures.getOrDefault(inputs[i], new int[0]);
            int[] more = java.util.Arrays.copyOf(at, at.length + 1);
            more[at.length] = i;
            captures.put(inputs[i], more);
        }
        run(roots, seeds, retainGraph, createGraph, new Capture(captures, captured));
        return captured;
    }

    /** Where {@link #grad} keeps the gradients of the nodes it was asked about. */
    private record Capture(Map<Node, int[]> slots, Tensor[] grads) {
    }

    private static void run(Node[] roots, Tensor[] seeds, boolean retainGraph, boolean createGraph, Capture capture) {
        Map<Node, Integer> pending = countDependencies(roots);
        Map<Node, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            grads.merge(roots[i], seeds[i], Tensor::add);
        }
        // Pending sums the engine made itself and so may add into in place: nothing else holds them.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> needed = capture == null ? null : leadingTo(capture.slots.keySet(), roots);
        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Node root : roots) {
            // A root that another root's graph reaches waits for that gradient too; one named twice goes once.
            if (!pending.containsKey(root) && !ready.contains(root)) {
                ready.push(root);
            }
        }
        // The shortcuts below reuse buffers and fuse nodes through kernels that record nothing, so
        // a pass that records its gradients' graph takes each node's plain apply.
        boolean shortcuts = !createGraph;
        try (var mode = createGraph ? GradMode.on() : GradMode.off()) {
            while (!ready.isEmpty()) {
                Node node = ready.pop();
                Tensor g = grads.remove(node);
                owned.remove(g);
                boolean hooked = g != null && node.hooked();
                if (hooked) {
                    g = node.runHooks(g);
                }
                int[] slots = capture == null ? null : capture.slots.get(node);
                if (slots != null && g != null) {
                    for (int slot : slots) {
                        capture.grads[slot] = g;
                    }
                }
                Tensor[] inputGrads = null;
                Node through = null;
                boolean executes = g != null && (needed == null || needed.contains(node));
                if (executes) {
                    through = hooked || !shortcuts ? null : soleProducer(node, pending, grads, capture);
                    inputGrads = through == null ? null : node.applyThrough(through, g);
                    if (inputGrads == null) {
                        through = null;
                        if (!shortcuts || !accumulated(node, g, grads, owned)) {
                            // A hook may keep the gradient it saw, so a leaf's accumulator must not adopt it.
                            inputGrads = hooked || !shortcuts || sharesStorage(g, grads) ? node.apply(g) : node.applySole(g);
                        }
                    }
                }
                // grad() leaves the nodes it did not run as they were, as PyTorch does.
                if (!retainGraph && (capture == null || executes)) {
                    node.release();
                }
                if (through != null) {
                    // The producer's own apply is skipped: its inputs get the gradients here.
                    pending.remove(through);
                    if (!retainGraph) {
                        through.release();
                    }
                    node = through;
                }
                for (int i = 0; i < node.next.length; i++) {
                    Node target = node.next[i];
                    if (target == null) {
                        continue;
                    }
                    if (inputGrads != null && inputGrads[i] != null) {
                        grads.merge(target, inputGrads[i], (sum, more) -> {
                            if (shortcuts && owned.contains(sum)) {
                                return sum.add_(more);
                            }
                            Tensor fresh = sum.add(more);
                            owned.add(fresh);
                            return fresh;
                        });
                    }
                    if (pending.merge(target, -1, Integer::sum) == 0) {
                        ready.push(target);
                    }
                }
            }
        }
    }

    /**
     * Lets a view's node add its gradient into its input's pending sum ({@link Node#accumulate}),
     * in place when the engine owns that sum; returns false where the node has no such form.
     */
    private static boolean accumulated(Node node, Tensor g, Map<Node, Tensor> grads, Set<Tensor> owned) {
        if (node.next.length != 1 || node.next[0] == null) {
            return false;
        }
        Node target = node.next[0];
        Tensor pending = grads.get(target);
        boolean mine = pending != null && owned.contains(pending);
        Tensor sum = node.accumulate(mine ? pending : null, g);
        if (sum == null) {
            return false;
        }
        if (!mine) {
            if (pending != null) {
                sum.add_(pending);
            }
            grads.put(target, sum);
            owned.add(sum);
        }
        return true;
    }

    /** The nodes from which one of targets can be reached through next edges (not counting a target by itself). */
    private static Set<Node> leadingTo(Set<Node> targets, Node[] roots) {
        Set<Node> leads = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        for (Node root : roots) {
            stack.push(root);
            expanded.push(false);
        }
        // Iterative post-order: a node is decided after all the nodes it sends gradients to.
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            boolean childrenDone = expanded.pop();
            if (done.contains(n)) {
                continue;
            }
            if (!childrenDone) {
                stack.push(n);
                expanded.push(true);
                for (Node m : n.next) {
                    if (m != null && !done.contains(m)) {
                        stack.push(m);
                        expanded.push(false);
                    }
                }
                continue;
            }
            done.add(n);
            for (Node m : n.next) {
                if (m != null && (targets.contains(m) || leads.contains(m))) {
                    leads.add(n);
                    break;
                }
            }
        }
        return leads;
    }

    /**
     * The node that made node's only input, when node is the last one to send it a gradient and
     * none came before: then node may hand the gradient through it ({@link Node#applyThrough}).
     */
    private static Node soleProducer(Node node, Map<Node, Integer> pending, Map<Node, Tensor> grads, Capture capture) {
        if (node.next.length != 1 || node.next[0] == null) {
            return null;
        }
        Node producer = node.next[0];
        // A hooked or captured producer must see its own gradient, which the shortcut never forms.
        boolean seen = producer.hooked() || capture != null && capture.slots.containsKey(producer);
        return pending.get(producer) == 1 && !grads.containsKey(producer) && !seen ? producer : null;
    }

    /** Whether another pending gradient is a view of g's storage (one node may send one tensor to several inputs). */
    private static boolean sharesStorage(Tensor g, Map<Node, Tensor> grads) {
        for (Tensor other : grads.values()) {
            if (other.storage() == g.storage()) {
                return true;
            }
        }
        return false;
    }

    private static Map<Node, Integer> countDependencies(Node[] roots) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node root : roots) {
            if (seen.add(root)) {
                stack.push(root);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node m : n.next) {
                if (m != null) {
                    deps.merge(m, 1, Integer::sum);
                    if (seen.add(m)) {
                        stack.push(m);
                    }
                }
            }
        }
        return deps;
    }
}
