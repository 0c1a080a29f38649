package dev.cortado.examples.models;

import dev.cortado.nn.Flatten;
import dev.cortado.nn.Linear;
import dev.cortado.nn.Module;
import dev.cortado.nn.ReLU;
import dev.cortado.nn.Sequential;
import dev.cortado.tensor.Tensor;

/**
 * Flatten, then Linear + ReLU through each hidden width, then a Linear to the classes: the MNIST
 * notebook's FC 784-512-256-128-10 and the CIFAR / edge notebooks' ThreeLayerMLP.
 */
public final class MultiLayerPerceptron extends Module {
    private final Sequential layers;

    public MultiLayerPerceptron(int inputs, int[] hidden, int classes) {
        Sequential s = new Sequential(new Flatten());
        int width = inputs;
        for (int h : hidden) {
            s.add(new Linear(width, h)).add(new ReLU());
            width = h;
        }
        s.add(new Linear(width, classes));
        layers = register("layers", s);
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.call(x);
    }
}
