/** Image decoding, augmentation, data sets and the off-thread batch pipeline that feeds the learner. */
package io.npid.trainer.data;
