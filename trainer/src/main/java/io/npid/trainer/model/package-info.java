/** Encoder networks (SmallConvNet, CIFAR-style ResNet18) with the 128-d L2-normalised head, built from DJL blocks. */
package io.npid.trainer.model;
