package dev.cortado.optim;

import dev.cortado.tensor.Tensor;

/**
 * LBFGS's {@code line_search_fn="strong_wolfe"}: PyTorch's bracketing and zoom search (after
 * minFunc) for a step {@code t} along {@code d} with sufficient decrease (Armijo, c1 = 1e-4) and a
 * small enough slope (curvature, c2 = 0.9). Slopes are float32 dot products, as PyTorch keeps
 * them in tensors, so the tests that pick a branch see the numbers PyTorch's do.
 */
final class StrongWolfe {
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final double TOLERANCE_CHANGE = 1e-9;
    private static final int MAX_LS = 25;

    /** The objective at {@code x + t d}: its loss and flat gradient; the parameters are left at x. */
    interface Objective {
        Point at(double t);
    }

    /** One evaluation: the loss, the flat gradient, and the slope {@code g·d}. */
    record Point(double t, double f, Tensor g, float gtd) {
    }

    /** The step found, its loss and gradient, and how many evaluations the search took. */
    record Result(double t, double f, Tensor g, int evaluations) {
    }

    private StrongWolfe() {
    }

    static Result search(Objective objective, double t, Tensor d, double f, Tensor g, float gtd) {
        double dNorm = d.abs().max().item();
        Point start = new Point(0, f, g, gtd);
        Point next = objective.at(t);
        int evaluations = 1;
        Point prev = start;
        Point[] bracket = null;
        boolean done = false;
        int lsIter = 0;
        while (lsIter < MAX_LS) {
            if (next.f > armijo(f, t, gtd) || (lsIter > 1 && next.f >= prev.f)) {
                bracket = new Point[] {prev, next};
                break;
            }
            if (Math.abs(next.gtd) <= (float) (-C2 * gtd)) {
                bracket = new Point[] {next};
                done = true;
                break;
            }
            if (next.gtd >= 0) {
                bracket = new Point[] {prev, next};
                break;
            }
            double minStep = t + 0.01 * (t - prev.t);
            double maxStep = t * 10;
            t = cubicInterpolate(prev, next, minStep, maxStep);
            prev = next;
            next = objective.at(t);
            evaluations++;
            lsIter++;
        }
        if (lsIter == MAX_LS) {
            bracket = new Point[] {start, next};
        }
        if (bracket.length == 1) {
            return new Result(bracket[0].t, bracket[0].f, bracket[0].g, evaluations);
        }
        // Zoom: shrink the bracket until a point meets both conditions.
        boolean insufficientProgress = false;
        int low = bracket[0].f <= bracket[1].f ? 0 : 1;
        int high = 1 - low;
        while (!done && lsIter < MAX_LS) {
            if (Math.abs(bracket[1].t - bracket[0].t) * dNorm < TOLERANCE_CHANGE) {
                break;
            }
            double lo = Math.min(bracket[0].t, bracket[1].t);
            double hi = Math.max(bracket[0].t, bracket[1].t);
            t = cubicInterpolate(bracket[0], bracket[1], lo, hi);
            // A trial next to an end of the bracket twice in a row, or outside it, moves a tenth of
            // the bracket inwards, so that the bracket keeps shrinking.
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - t, t - lo) < eps) {
                if (insufficientProgress || t >= hi || t <= lo) {
                    t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            Point trial = objective.at(t);
            evaluations++;
            lsIter++;
            if (trial.f > armijo(f, t, gtd) || trial.f >= bracket[low].f) {
                bracket[high] = trial;
                low = bracket[0].f <= bracket[1].f ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(trial.gtd) <= (float) (-C2 * gtd)) {
                    done = true;
                } else if (trial.gtd * (bracket[high].t - bracket[low].t) >= 0) {
                    bracket[high] = bracket[low];
                }
                bracket[low] = trial;
            }
        }
        Point best = bracket[low];
        return new Result(best.t, best.f, best.g, evaluations);
    }

    /** The sufficient-decrease bound {@code f + c1 t gtd}, in float32 as PyTorch computes it from a tensor slope. */
    private static float armijo(double f, double t, float gtd) {
        return (float) f + gtd * (float) (C1 * t);
    }

    /**
     * The minimizer of the cubic through two points' values and slopes, clamped to
     * [lowBound, highBound]; their midpoint when the cubic has no minimum.
     */
    static double cubicInterpolate(Point p1, Point p2, double lowBound, double highBound) {
        double x1 = p1.t;
        double x2 = p2.t;
        double g1 = p1.gtd;
        double g2 = p2.gtd;
        double d1 = g1 + g2 - 3 * (p1.f - p2.f) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lowBound), highBound);
        }
        return (lowBound + highBound) / 2;
    }
}
