package dev.cortado.examples.train;

import dev.cortado.examples.report.Report;

import java.util.ArrayList;
import java.util.List;

/** Loss and confusion matrix of an evaluation pass; accuracy and per-class precision, recall and F1 follow from them. */
public record Evaluation(double loss, long[][] confusion) {
    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /** Percent of samples on the diagonal. */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < confusion.length; i++) {
            right += confusion[i][i];
        }
        return 100.0 * right / total();
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        long actual = 0;
        for (long v : confusion[c]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) confusion[c][c] / actual;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** sklearn's classification report as table rows: class, precision, recall, F1, support. */
    public List<List<String>> classReport(List<String> classes) {
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < confusion.length; c++) {
            long support = 0;
            for (long v : confusion[c]) {
                support += v;
            }
            rows.add(List.of(classes.get(c), Report.num(precision(c), 3), Report.num(recall(c), 3), Report.num(f1(c), 3),
                    Long.toString(support)));
        }
        return rows;
    }

    public static final List<String> CLASS_REPORT_HEADERS = List.of("class", "precision", "recall", "F1", "support");
}
