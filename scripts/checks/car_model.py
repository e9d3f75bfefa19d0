"""Checks Paddock's car models with the tools the car and DeepRacer use.

    python car_model.py check MODEL_PB INPUT_NAME OUTPUT_NAME FRAMES_NPY EXPECTED_NPY
        TensorFlow imports the frozen graph, finds the input and output by their exact names
        and, on the frames, gives Paddock's outputs (max abs difference printed). OpenVINO
        converts it with the car's input shape [1, 120, 160, C] at FP16 and the share of frames
        on which it picks the same action (argmax) is printed.
    python car_model.py make-deepracer MODEL_PB FRAMES_NPY OUTPUTS_NPY SEED
        Builds DeepRacer's 3-layer PPO policy (discrete, 5 actions) in TensorFlow with the node
        names the car uses and random weights, freezes it to MODEL_PB, and writes its outputs
        on the frames, so Paddock's importer can be compared with TensorFlow.

    python car_model.py make-coach KIND OUT_DIR SEED FRAMES_NPY LIDAR_NPY OUTPUTS_NPY
        Builds a policy the way Coach builds DeepRacer's (computed flatten, the gradient rescaler
        that packs the whole middleware output, embedders joined by ConcatV2) for KIND
        "continuous" (camera, PPO continuous head: an Identity of the mean in [-1, 1]), "stereo"
        (STEREO_CAMERAS, 2 channels, 4 actions) or "lidar" (camera + LIDAR [batch, 64], 4
        actions), freezes it with seeded weights to OUT_DIR/agent/model.pb with its
        model_metadata.json, and writes the frames, LIDAR values (metres) and outputs it used.
    python car_model.py stock OUT_DIR SEED FRAMES_NPY OUTPUTS_NPY
        Freezes the DeepRacer console's own policy graph (../shared/data/gazebo/stock-graph,
        Coach's gradient rescaler included) with seeded weights into OUT_DIR (agent/model.pb,
        model_metadata.json), takes the real Gazebo camera frames beside it as FRAMES_NPY
        (N, 120, 160, 1) and writes TensorFlow's outputs on them.

Prints one JSON object.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def load_graph(path):
    graph_def = tf.compat.v1.GraphDef()
    with open(path, "rb") as handle:
        graph_def.ParseFromString(handle.read())
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(graph_def, name="")
    return graph


def check(model_pb, input_name, output_name, frames_path, expected_path, kind="discrete"):
    """TensorFlow's outputs against Paddock's, and OpenVINO's FP16 conversion against them: the
    same action (argmax) for a discrete policy; for a continuous one, the car uses the means
    themselves, so they agree when within 0.01 (0.3 degrees of steering on a 30-degree range)."""
    frames = np.load(frames_path).astype(np.float32)
    expected = np.load(expected_path).astype(np.float32)
    graph = load_graph(model_pb)
    ops = {op.type for op in graph.get_operations()}
    inputs = graph.get_tensor_by_name(input_name + ":0")
    outputs = graph.get_tensor_by_name(output_name + ":0")
    with tf.compat.v1.Session(graph=graph) as session:
        tensorflow_out = session.run(outputs, feed_dict={inputs: frames})
    difference = float(np.max(np.abs(tensorflow_out - expected)))

    import openvino as ov

    channels = frames.shape[-1]
    model = ov.convert_model(model_pb, input=[(input_name + ":0", [1, 120, 160, channels])])
    from openvino import save_model

    directory = os.path.dirname(os.path.abspath(expected_path))
    ir = os.path.join(directory, "model_fp16.xml")
    save_model(model, ir, compress_to_fp16=True)
    core = ov.Core()
    compiled = core.compile_model(core.read_model(ir), "CPU")
    first_output = compiled.outputs[0]
    agree = 0
    openvino_difference = 0.0
    for index in range(frames.shape[0]):
        result = compiled([frames[index : index + 1]])[first_output]
        openvino_difference = max(openvino_difference, float(np.max(np.abs(result[0] - expected[index]))))
        if kind == "continuous":
            if np.max(np.abs(result[0] - expected[index])) <= 0.01:
                agree += 1
        elif np.argmax(result[0]) == np.argmax(expected[index]):
            agree += 1
    print(
        json.dumps(
            {
                "tensorflow_max_abs_difference": difference,
                "tensorflow_output_shape": list(tensorflow_out.shape),
                "ops": sorted(ops),
                "openvino_agreement": agree / frames.shape[0],
                "openvino_max_abs_difference": openvino_difference,
                "openvino_input": compiled.inputs[0].get_any_name(),
            }
        )
    )


def make_deepracer(model_pb, frames_path, outputs_path, seed):
    """DeepRacer's 3-layer CNN policy head as rl_coach builds it, frozen."""
    rng = np.random.default_rng(int(seed))

    def weights(*shape):
        fan_in = int(np.prod(shape[:-1]))
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    prefix = "main_level/agent/main/online"
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(
            tf.float32, [None, 120, 160, 1], name=prefix + "/network_0/FRONT_FACING_CAMERA/FRONT_FACING_CAMERA"
        )
        h = tf.math.divide(x, 255.0, name=prefix + "/network_0/FRONT_FACING_CAMERA/truediv")
        for index, (filters, kernel, stride) in enumerate([(32, 8, 4), (64, 4, 2), (64, 3, 1)]):
            scope = prefix + "/network_0/FRONT_FACING_CAMERA/Conv2d_%d" % index
            w = tf.constant(weights(kernel, kernel, int(h.shape[-1]), filters), name=scope + "/kernel")
            b = tf.constant((rng.standard_normal(filters) * 0.01).astype(np.float32), name=scope + "/bias")
            h = tf.nn.conv2d(h, w, strides=[1, stride, stride, 1], padding="VALID", name=scope + "/Conv2D")
            h = tf.nn.bias_add(h, b, name=scope + "/BiasAdd")
            h = tf.nn.relu(h, name=scope + "/Relu")
        # rl_coach flattens with a computed shape: Shape, StridedSlice, Pack, Reshape.
        batch = tf.strided_slice(tf.shape(h), [0], [1], [1], shrink_axis_mask=1, name=prefix + "/network_1/flat/strided_slice")
        size = int(np.prod(h.shape[1:]))
        shape = tf.stack([batch, tf.constant(size)], name=prefix + "/network_1/flat/Reshape/shape")
        h = tf.reshape(h, shape, name=prefix + "/network_1/flat/Reshape")
        # The gradient rescaler: identity in the forward pass.
        h = tf.stop_gradient(h, name=prefix + "/network_1/gradient_rescaler/StopGradient")
        w = tf.constant(weights(size, 512), name=prefix + "/network_1/dense/kernel")
        b = tf.constant(np.zeros(512, np.float32), name=prefix + "/network_1/dense/bias")
        h = tf.nn.relu(tf.matmul(h, w) + b, name=prefix + "/network_1/dense/Relu")
        w = tf.constant(weights(512, 5), name=prefix + "/network_1/ppo_head_0/kernel")
        b = tf.constant((rng.standard_normal(5) * 0.01).astype(np.float32), name=prefix + "/network_1/ppo_head_0/bias")
        logits = tf.add(tf.matmul(h, w), b, name=prefix + "/network_1/ppo_head_0/logits")
        policy = tf.nn.softmax(logits, name=prefix + "/network_1/ppo_head_0/policy")
        frames = np.load(frames_path).astype(np.float32)
        with tf.compat.v1.Session(graph=graph) as session:
            outputs = session.run(policy, feed_dict={x: frames})
    with open(model_pb, "wb") as handle:
        handle.write(graph.as_graph_def().SerializeToString())
    np.save(outputs_path, outputs.astype(np.float32))
    print(json.dumps({"ops": sorted({op.type for op in graph.get_operations()}), "outputs": list(outputs.shape)}))


def real_frames(count):
    shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "gazebo")
    every = np.load(os.path.join(shared, "camera", "reInvent2019-episode-gray.npz"))["frames"]
    return every[:: max(len(every) // count, 1)][:count].astype(np.float32)[..., None]


def make_coach(kind, out_dir, seed, frames_path, lidar_path, outputs_path):
    rng = np.random.default_rng(int(seed))

    def weights(*shape):
        fan_in = int(np.prod(shape[:-1]))
        return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)

    def dense(h, units, scope):
        w = tf.constant(weights(int(h.shape[-1]), units), name=scope + "/kernel")
        b = tf.constant((rng.standard_normal(units) * 0.01).astype(np.float32), name=scope + "/bias")
        return tf.nn.bias_add(tf.matmul(h, w, name=scope + "/MatMul"), b, name=scope + "/BiasAdd")

    prefix = "main_level/agent/main/online"
    sensor = "STEREO_CAMERAS" if kind == "stereo" else "FRONT_FACING_CAMERA"
    channels = 2 if kind == "stereo" else 1
    actions = 2 if kind == "continuous" else 4
    frames = real_frames(12)
    if channels == 2:
        frames = np.concatenate([frames, np.roll(frames, 3, axis=2)], axis=-1)
    lidar = rng.uniform(0.15, 12.0, size=(frames.shape[0], 64)).astype(np.float32)
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 120, 160, channels], name=f"{prefix}/network_0/{sensor}/{sensor}")
        h = tf.math.divide(x, 255.0, name=f"{prefix}/network_1/{sensor}/truediv")
        h = tf.subtract(h, 0.5, name=f"{prefix}/network_1/{sensor}/sub")
        for index, (filters, kernel, stride) in enumerate([(32, 8, 4), (64, 4, 2), (64, 3, 1)]):
            scope = f"{prefix}/network_1/{sensor}/Conv2d_{index}"
            w = tf.constant(weights(kernel, kernel, int(h.shape[-1]), filters), name=scope + "/kernel")
            b = tf.constant((rng.standard_normal(filters) * 0.01).astype(np.float32), name=scope + "/bias")
            h = tf.nn.conv2d(h, w, strides=[1, stride, stride, 1], padding="VALID", name=scope + "/Conv2D")
            h = tf.nn.relu(tf.nn.bias_add(h, b, name=scope + "/BiasAdd"), name=scope + "/Relu")
        flat = f"{prefix}/network_1/{sensor}/Flatten/flatten"
        batch = tf.strided_slice(tf.shape(h), [0], [1], [1], shrink_axis_mask=1, name=flat + "/strided_slice")
        size = int(np.prod(h.shape[1:]))
        h = tf.reshape(h, tf.stack([batch, tf.constant(size)], name=flat + "/Reshape/shape"), name=flat + "/Reshape")
        embeddings = [h]
        if kind == "lidar":
            l = tf.compat.v1.placeholder(tf.float32, [None, 64], name=f"{prefix}/network_0/LIDAR/LIDAR")
            l = tf.nn.relu(dense(l, 256, f"{prefix}/network_1/LIDAR/Dense_0"), name=f"{prefix}/network_1/LIDAR/Relu")
            embeddings.append(l)
            h = tf.concat(embeddings, axis=-1, name=f"{prefix}/network_1/concat")
        h = tf.nn.relu(dense(h, 512, f"{prefix}/network_1/middleware_fc_embedder/Dense_0"), name=f"{prefix}/network_1/middleware_fc_embedder/Relu")
        # Coach's gradient rescaler: identity in the forward pass, but built from a whole-tensor Pack.
        scale = tf.constant(np.float32(rng.uniform(0.2, 0.8)), name=f"{prefix}/network_1/gradients_from_head_0-0_rescalers")
        packed = tf.stack([h], axis=0, name=f"{prefix}/network_1/StopGradient/input")
        mixed = tf.add(
            tf.multiply(tf.subtract(1.0, scale, name=f"{prefix}/network_1/sub"), tf.stop_gradient(packed, name=f"{prefix}/network_1/StopGradient"), name=f"{prefix}/network_1/mul"),
            tf.multiply(scale, tf.stack([h], axis=0, name=f"{prefix}/network_1/mul_1/y"), name=f"{prefix}/network_1/mul_1"),
            name=f"{prefix}/network_1/add",
        )
        h = tf.strided_slice(mixed, [0], [1], [1], shrink_axis_mask=1, name=f"{prefix}/network_1/ppo_head_0/strided_slice")
        head = dense(h, actions, f"{prefix}/network_1/ppo_head_0/policy_fc")
        if kind == "continuous":
            policy = tf.identity(tf.tanh(head), name=f"{prefix}/network_1/ppo_head_0/policy")
        else:
            policy = tf.nn.softmax(head, name=f"{prefix}/network_1/ppo_head_0/policy")
        feed = {x: frames}
        if kind == "lidar":
            feed[graph.get_tensor_by_name(f"{prefix}/network_0/LIDAR/LIDAR:0")] = lidar
        with tf.compat.v1.Session(graph=graph) as session:
            outputs = session.run(policy, feed_dict=feed)
    os.makedirs(os.path.join(out_dir, "agent"), exist_ok=True)
    with open(os.path.join(out_dir, "agent", "model.pb"), "wb") as handle:
        handle.write(graph.as_graph_def().SerializeToString())
    if kind == "continuous":
        space = {"steering_angle": {"low": -30.0, "high": 30.0}, "speed": {"low": 0.5, "high": 2.0}}
        space_type = "continuous"
    else:
        space = [{"steering_angle": a, "speed": 1.0, "index": i} for i, a in enumerate([-30.0, -10.0, 10.0, 30.0])]
        space_type = "discrete"
    sensors = [sensor] + (["LIDAR"] if kind == "lidar" else [])
    metadata = {
        "action_space": space,
        "action_space_type": space_type,
        "sensor": sensors,
        "neural_network": "DEEP_CONVOLUTIONAL_NETWORK_SHALLOW",
        "training_algorithm": "clipped_ppo",
        "version": "5",
    }
    with open(os.path.join(out_dir, "model_metadata.json"), "w") as handle:
        json.dump(metadata, handle)
    np.save(frames_path, frames)
    np.save(lidar_path, lidar)
    np.save(outputs_path, outputs.astype(np.float32))
    print(json.dumps({"ops": sorted({op.type for op in graph.get_operations()}), "outputs": list(outputs.shape)}))


def stock(out_dir, seed, frames_path, outputs_path):
    """A stock console graph frozen by the shared freeze.py, run by TensorFlow on real frames."""
    import subprocess

    shared = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "gazebo")
    subprocess.run(
        [sys.executable, os.path.join(shared, "stock-graph", "freeze.py"), out_dir, str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    every = np.load(os.path.join(shared, "camera", "reInvent2019-episode-gray.npz"))["frames"]
    frames = every[:: max(len(every) // 24, 1)][:24].astype(np.float32)[..., None]
    np.save(frames_path, frames)
    graph = load_graph(os.path.join(out_dir, "agent", "model.pb"))
    prefix = "main_level/agent/main/online/network_"
    inputs = graph.get_tensor_by_name(prefix + "0/FRONT_FACING_CAMERA/FRONT_FACING_CAMERA:0")
    outputs = graph.get_tensor_by_name(prefix + "1/ppo_head_0/policy:0")
    with tf.compat.v1.Session(graph=graph) as session:
        result = session.run(outputs, feed_dict={inputs: frames})
    np.save(outputs_path, result.astype(np.float32))
    ops = sorted({op.type for op in graph.get_operations()})
    print(json.dumps({"ops": ops, "outputs": list(result.shape)}))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(*sys.argv[2:8])
    elif sys.argv[1] == "make-deepracer":
        make_deepracer(*sys.argv[2:6])
    elif sys.argv[1] == "make-coach":
        make_coach(*sys.argv[2:8])
    elif sys.argv[1] == "stock":
        stock(*sys.argv[2:6])
    else:
        sys.exit("usage: car_model.py check|make-deepracer|stock ...")
