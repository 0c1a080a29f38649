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

    public static void backward(Node root, Tensor grad, boolean retainGraph) {
        Map<Node, Integer> pending = countDependencies(root);
        Map<Node, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, grad);
        ArrayDeque<Node> ready = new ArrayDeque<>();
        ready.push(root);
        try (var noGrad = GradMode.off()) {
            while (!ready.isEmpty()) {
                Node node = ready.pop();
                Tensor g = grads.remove(node);
                Node through = g == null ? null : soleProducer(node, pending, grads);
                Tensor[] inputGrads = through == null ? null : node.applyThrough(through, g);
                if (inputGrads == null) {
                    through = null;
                    inputGrads = g == null ? null : sharesStorage(g, grads) ? node.apply(g) : node.applySole(g);
                }
                if (!retainGraph) {
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
                        grads.merge(target, inputGrads[i], Tensor::add);
                    }
                    if (pending.merge(target, -1, Integer::sum) == 0) {
                        ready.push(target);
                    }
                }
            }
        }
    }

    /**
     * The node that made node's only input, when node is the last one to send it a gradient and
     * none came before: then node may hand the gradient through it ({@link Node#applyThrough}).
     */
    private static Node soleProducer(Node node, Map<Node, Integer> pending, Map<Node, Tensor> grads) {
        if (node.next.length != 1 || node.next[0] == null) {
            return null;
        }
        Node producer = node.next[0];
        return pending.get(producer) == 1 && !grads.containsKey(producer) ? producer : null;
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

    private static Map<Node, Integer> countDependencies(Node root) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.add(root);
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
