/** Optimizers (SGD, Adam, AdamW) and learning-rate schedulers. */
package dev.cortado.optim;
