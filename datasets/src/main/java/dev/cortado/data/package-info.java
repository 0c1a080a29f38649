/** Datasets, data loaders and transforms (MNIST, FashionMNIST, CIFAR-10, synthetic edges). */
package dev.cortado.data;
