package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code torch.einsum}: subscripts in [a-zA-Z], an optional {@code ...} per operand (broadcast
 * together, right-aligned), an explicit {@code ->} output or PyTorch's implicit one (the
 * ellipsis dims, then the subscripts that appear once, in ASCII order). A subscript repeated
 * within an operand takes its diagonal; sizes of 1 broadcast. Operands are contracted left to
 * right, each pair as one batched matmul over the subscripts they share, after summing away the
 * subscripts only one operand has; every step is a differentiable view, sum or bmm.
 */
public final class Einsum {
    private Einsum() {
    }

    /** An operand during contraction: its tensor and one label per dim (chars, or ellipsis dims below 0). */
    private record Term(Tensor t, List<Integer> labels) {
    }

    public static Tensor einsum(String equation, Tensor... operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String rhs = arrow < 0 ? null : eq.substring(arrow + 2);
        String[] inputs = lhs.split(",", -1);
        if (inputs.length != operands.length) {
            throw new IllegalArgumentException("einsum(): the equation '" + equation + "' has " + inputs.length + " operand(s), but "
                    + operands.length + " tensor(s) were given");
        }
        validate(equation, eq);
        int ellipsisRank = 0;
        for (int i = 0; i < inputs.length; i++) {
            int letters = inputs[i].replace("...", "").length();
            boolean hasEllipsis = inputs[i].contains("...");
            if (hasEllipsis ? operands[i].dim() < letters : operands[i].dim() != letters) {
                throw new IllegalArgumentException("einsum(): the number of subscripts in the equation (" + letters
                        + ") does not match the number of dimensions (" + operands[i].dim() + ") for operand " + i
                        + (hasEllipsis ? "" : " and no ellipsis was given"));
            }
            if (hasEllipsis) {
                ellipsisRank = Math.max(ellipsisRank, operands[i].dim() - letters);
            }
        }
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            terms.add(diagonals(new Term(operands[i], labels(inputs[i], operands[i].dim(), ellipsisRank))));
        }
        List<Integer> output = output(equation, rhs, inputs, ellipsisRank);
        int[] sizes = sizes(terms);
        // Sum away what only one operand has and the output does not need.
        for (int i = 0; i < terms.size(); i++) {
            terms.set(i, sumOut(terms.get(i), needed(terms, i, output)));
        }
        Term acc = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            List<Integer> later = new ArrayList<>(output);
            for (int j = i + 1; j < terms.size(); j++) {
                later.addAll(terms.get(j).labels());
            }
            acc = contract(acc, terms.get(i), later, sizes);
            acc = sumOut(acc, new LinkedHashSet<>(later));
        }
        acc = sumOut(acc, new LinkedHashSet<>(output));
        return arrange(acc, output, sizes);
    }

    private static void validate(String equation, String eq) {
        for (int i = 0; i < eq.length(); i++) {
            char c = eq.charAt(i);
            boolean arrow = c == '-' && i + 1 < eq.length() && eq.charAt(i + 1) == '>' && eq.indexOf("->") == i;
            if (arrow) {
                i++;
            } else if (c == '.') {
                if (!eq.startsWith("...", i)) {
                    throw new IllegalArgumentException("einsum(): found '.' in '" + equation + "' that is not part of any ellipsis");
                }
                i += 2;
            } else if (!(c == ',' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                throw new IllegalArgumentException("einsum(): invalid subscript '" + c + "' in '" + equation
                        + "'; subscripts must be in [a-zA-Z], with '...' for broadcast dims and one '->'");
            }
        }
    }

    /** One label per dim: the letters, and -1 - k for ellipsis dim k of ellipsisRank (right-aligned). */
    private static List<Integer> labels(String term, int rank, int ellipsisRank) {
        List<Integer> out = new ArrayList<>();
        int dot = term.indexOf("...");
        if (term.indexOf("...", dot + 1) > dot && dot >= 0) {
            throw new IllegalArgumentException("einsum(): more than one ellipsis in the subscripts '" + term + "'");
        }
        for (int i = 0; i < term.length(); i++) {
            if (i == dot) {
                int own = rank - (term.length() - 3);
                for (int k = ellipsisRank - own; k < ellipsisRank; k++) {
                    out.add(-1 - k);
                }
                i += 2;
            } else {
                out.add((int) term.charAt(i));
            }
        }
        return out;
    }

    private static List<Integer> output(String equation, String rhs, String[] inputs, int ellipsisRank) {
        List<Integer> out = new ArrayList<>();
        if (rhs == null) {
            for (int k = 0; k < ellipsisRank; k++) {
                out.add(-1 - k);
            }
            int[] count = new int[128];
            for (String in : inputs) {
                for (char c : in.replace("...", "").toCharArray()) {
                    count[c]++;
                }
            }
            for (int c = 0; c < 128; c++) {
                if (count[c] == 1) {
                    out.add(c);
                }
            }
            return out;
        }
        Set<Integer> seen = new LinkedHashSet<>();
        String all = String.join("", inputs);
        for (int i = 0; i < rhs.length(); i++) {
            if (rhs.startsWith("...", i)) {
                for (int k = 0; k < ellipsisRank; k++) {
                    out.add(-1 - k);
                }
                i += 2;
                continue;
            }
            int c = rhs.charAt(i);
            if (all.indexOf(c) < 0) {
                throw new IllegalArgumentException("einsum(): output subscript " + (char) c + " does not appear in the equation for any input operand");
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("einsum(): output subscript " + (char) c + " appears more than once in the output");
            }
            out.add(c);
        }
        return out;
    }

    /** A label repeated within an operand selects its diagonal, as many times as it repeats. */
    private static Term diagonals(Term term) {
        Tensor t = term.t();
        List<Integer> labels = new ArrayList<>(term.labels());
        for (int p = 0; p < labels.size(); p++) {
            for (int q = p + 1; q < labels.size(); q++) {
                if (labels.get(p).equals(labels.get(q))) {
                    if (t.size(p) != t.size(q)) {
                        throw new IllegalArgumentException("einsum(): subscript " + (char) (int) labels.get(p)
                                + " is repeated for an operand but the sizes don't match, " + t.size(p) + " != " + t.size(q));
                    }
                    int label = labels.get(p);
                    t = t.diagonal(0, p, q);
                    labels.remove(q);
                    labels.remove(p);
                    labels.add(label);
                    p = -1;
                    break;
                }
            }
        }
        return new Term(t, labels);
    }

    /** The size of every label over all operands: equal, or 1 where it broadcasts. */
    private static int[] sizes(List<Term> terms) {
        int[] sizes = new int[256];
        java.util.Arrays.fill(sizes, -1);
        for (int i = 0; i < terms.size(); i++) {
            Term term = terms.get(i);
            for (int d = 0; d < term.labels().size(); d++) {
                int slot = slot(term.labels().get(d));
                int size = term.t().size(d);
                if (sizes[slot] == -1 || sizes[slot] == 1) {
                    sizes[slot] = size;
                } else if (size != 1 && size != sizes[slot]) {
                    int label = term.labels().get(d);
                    throw new IllegalArgumentException("einsum(): " + (label < 0 ? "ellipsis dimension" : "subscript " + (char) label) + " has size "
                            + size + " for operand " + i + " which does not broadcast with previously seen size " + sizes[slot]);
                }
            }
        }
        return sizes;
    }

    private static int slot(int label) {
        return label < 0 ? 128 - label : label;
    }

    /** The labels the output or an operand other than {@code skip} still needs. */
    private static Set<Integer> needed(List<Term> terms, int skip, List<Integer> output) {
        Set<Integer> out = new LinkedHashSet<>(output);
        for (int j = 0; j < terms.size(); j++) {
            if (j != skip) {
                out.addAll(terms.get(j).labels());
            }
        }
        return out;
    }

    private static Term sumOut(Term term, Set<Integer> keep) {
        List<Integer> dims = new ArrayList<>();
        List<Integer> rest = new ArrayList<>();
        for (int d = 0; d < term.labels().size(); d++) {
            if (keep.contains(term.labels().get(d))) {
                rest.add(term.labels().get(d));
            } else {
                dims.add(d);
            }
        }
        if (dims.isEmpty()) {
            return term;
        }
        return new Term(term.t().sum(dims.stream().mapToInt(Integer::intValue).toArray(), false), rest);
    }

    /** A and B as one bmm: (batch, left, contracted) × (batch, contracted, right), batch and contracted labels broadcast. */
    private static Term contract(Term a, Term b, List<Integer> later, int[] sizes) {
        List<Integer> batch = new ArrayList<>();
        List<Integer> summed = new ArrayList<>();
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        for (int l : a.labels()) {
            if (b.labels().contains(l)) {
                (later.contains(l) ? batch : summed).add(l);
            } else {
                left.add(l);
            }
        }
        for (int l : b.labels()) {
            if (!a.labels().contains(l)) {
                right.add(l);
            }
        }
        Tensor x = layout(a, batch, left, summed, sizes);
        Tensor y = layout(b, batch, summed, right, sizes);
        int nb = product(batch, sizes);
        int nl = product(left, sizes);
        int nc = product(summed, sizes);
        int nr = product(right, sizes);
        Tensor r = x.reshape(nb, nl, nc).bmm(y.reshape(nb, nc, nr));
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(left);
        labels.addAll(right);
        int[] shape = new int[labels.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = sizes[slot(labels.get(i))];
        }
        return new Term(r.reshape(shape), labels);
    }

    /** The term's dims in the order of the three groups, each broadcast to its label's size. */
    private static Tensor layout(Term term, List<Integer> g1, List<Integer> g2, List<Integer> g3, int[] sizes) {
        List<Integer> order = new ArrayList<>(g1);
        order.addAll(g2);
        order.addAll(g3);
        int[] perm = new int[order.size()];
        int[] shape = new int[order.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = term.labels().indexOf(order.get(i));
            shape[i] = sizes[slot(order.get(i))];
        }
        return term.t().permute(perm).expand(shape);
    }

    private static int product(List<Integer> labels, int[] sizes) {
        int n = 1;
        for (int l : labels) {
            n *= sizes[slot(l)];
        }
        return n;
    }

    /** The last term's dims in output order, broadcast to the labels' sizes. */
    private static Tensor arrange(Term term, List<Integer> output, int[] sizes) {
        int[] perm = new int[output.size()];
        int[] shape = new int[output.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = term.labels().indexOf(output.get(i));
            shape[i] = sizes[slot(output.get(i))];
        }
        Tensor t = term.t().permute(perm);
        return java.util.Arrays.equals(t.shape(), shape) ? t : t.expand(shape).contiguous();
    }
}
