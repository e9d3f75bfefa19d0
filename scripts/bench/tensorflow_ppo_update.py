"""The reference for `paddock bench learn`: PPO update throughput in TensorFlow.

Builds DeepRacer's 3-layer CNN (spec section 8) as separate policy and value networks, then
times the same work Paddock's update does for a batch of 64 frames: forward, the clipped PPO
loss with an entropy bonus, the value loss, backward, and Adam steps for both networks.
Prints samples per second as JSON. Usage: python tensorflow_ppo_update.py THREADS STEPS ACTIONS
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
threads, steps, actions = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(1)


def network(outputs):
    return tf.keras.Sequential([
        tf.keras.Input((120, 160, 1)),
        tf.keras.layers.Rescaling(1 / 255),
        tf.keras.layers.Conv2D(32, 8, strides=4, activation="relu"),
        tf.keras.layers.Conv2D(64, 4, strides=2, activation="relu"),
        tf.keras.layers.Conv2D(64, 3, strides=1, activation="relu"),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dense(outputs),
    ])


policy, value = network(actions), network(1)
policy_optimizer = tf.keras.optimizers.Adam(3e-4, epsilon=1e-5)
value_optimizer = tf.keras.optimizers.Adam(3e-4, epsilon=1e-5)
rng = np.random.default_rng(0)
frames = tf.constant(rng.integers(0, 256, (64, 120, 160, 1)).astype(np.float32))
chosen = tf.constant(rng.integers(0, actions, 64))
old_log_p = tf.constant(np.full(64, -np.log(actions), np.float32))
advantages = tf.constant(rng.standard_normal(64).astype(np.float32))
returns = tf.constant(rng.standard_normal(64).astype(np.float32))


@tf.function
def update():
    with tf.GradientTape() as tape:
        log_p_all = tf.nn.log_softmax(policy(frames))
        log_p = tf.gather(log_p_all, chosen, batch_dims=1)
        ratio = tf.exp(log_p - old_log_p)
        clipped = tf.clip_by_value(ratio, 0.8, 1.2)
        entropy = -tf.reduce_sum(tf.exp(log_p_all) * log_p_all, axis=1)
        loss = -tf.reduce_mean(tf.minimum(ratio * advantages, clipped * advantages)) - 0.01 * tf.reduce_mean(entropy)
    grads = tape.gradient(loss, policy.trainable_variables)
    policy_optimizer.apply_gradients(zip(grads, policy.trainable_variables))
    with tf.GradientTape() as tape:
        v = tf.squeeze(value(frames), 1)
        value_loss = tf.reduce_mean(tf.keras.losses.huber(returns[:, None], v[:, None]))
    grads = tape.gradient(value_loss, value.trainable_variables)
    value_optimizer.apply_gradients(zip(grads, value.trainable_variables))


for _ in range(3):
    update()
start = time.perf_counter()
for _ in range(steps):
    update()
seconds = time.perf_counter() - start
print(json.dumps({"samples_per_second": 64 * steps / seconds, "tensorflow": tf.__version__, "threads": threads}))
