import CDNNL

/// oneDNN's convolution primitives for one `Conv2D`: forward, and the gradients with respect to
/// the weights and (optionally) the input, on the layer's own channels-last tensors and
/// TensorFlow-layout kernel.
///
/// oneDNN picks the weights layout its JIT kernels run fastest on (blocked by 16 filters on
/// AVX-512); the kernel is reordered into it before each use and the weight gradient reordered
/// back, so the layer's `Parameter`s and the weights file keep TensorFlow's layout. Inputs,
/// outputs and their gradients are used in place. Primitives are made once per input shape.
/// Every call runs on the calling thread with one OpenMP thread, as OpenBLAS does for the
/// networks. Like the layer, an instance belongs to one thread at a time.
final class DNNLConvolution {
    let channels: Int
    let filters: Int
    let kernelSize: Int
    let stride: Int
    let computesInputGradient: Bool
    private let engine: dnnl_engine_t
    private let stream: dnnl_stream_t
    private var plans: [[Int]: Plan] = [:]

    /// Nil when oneDNN cannot make a CPU engine here.
    init?(channels: Int, filters: Int, kernelSize: Int, stride: Int, computesInputGradient: Bool) {
        var engine: dnnl_engine_t?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else { return nil }
        var stream: dnnl_stream_t?
        guard dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream else {
            dnnl_engine_destroy(engine)
            return nil
        }
        self.engine = engine
        self.stream = stream
        self.channels = channels
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        self.computesInputGradient = computesInputGradient
    }

    deinit {
        plans = [:]
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// Whether oneDNN runs this layer for inputs of `inputShape` (batch, height, width, channels).
    func supports(inputShape: [Int]) -> Bool { plan(for: inputShape) != nil }

    /// input ⊛ kernel + bias, of the layer's output shape `outputCount` values.
    func forward(_ input: [Float], inputShape: [Int], kernel: [Float], bias: [Float], outputCount: Int) -> [Float] {
        guard let plan = plan(for: inputShape) else { preconditionFailure("no oneDNN convolution for \(inputShape)") }
        return [Float](unsafeUninitializedCapacity: outputCount) { output, count in
            input.withUnsafeBufferPointer { input in
                kernel.withUnsafeBufferPointer { kernel in
                    bias.withUnsafeBufferPointer { bias in
                        plan.forwardWeights.load(address(kernel), on: stream)
                        plan.source.point(at: address(input))
                        plan.bias.point(at: address(bias))
                        plan.destination.point(at: address(UnsafeBufferPointer(output)))
                        plan.forward.run(
                            [
                                (DNNL_ARG_SRC, plan.source), (DNNL_ARG_WEIGHTS, plan.forwardWeights.memory),
                                (DNNL_ARG_BIAS, plan.bias), (DNNL_ARG_DST, plan.destination),
                            ], on: stream)
                    }
                }
            }
            count = outputCount
        }
    }

    /// Adds the gradients with respect to the kernel and the bias to `kernelGradient` and
    /// `biasGradient`, and returns the gradient with respect to the input (nil when the layer
    /// skips it).
    func backward(
        input: [Float], inputShape: [Int], outputGradient: [Float], kernel: [Float], kernelGradient: inout [Float],
        biasGradient: inout [Float]
    ) -> [Float]? {
        guard let plan = plan(for: inputShape) else { preconditionFailure("no oneDNN convolution for \(inputShape)") }
        input.withUnsafeBufferPointer { input in
            outputGradient.withUnsafeBufferPointer { outputGradient in
                plan.source.point(at: address(input))
                plan.destinationGradient.point(at: address(outputGradient))
                plan.backwardWeights.run(
                    [
                        (DNNL_ARG_SRC, plan.source), (DNNL_ARG_DIFF_DST, plan.destinationGradient),
                        (DNNL_ARG_DIFF_WEIGHTS, plan.weightGradient.memory), (DNNL_ARG_DIFF_BIAS, plan.biasGradient),
                    ], on: stream)
            }
        }
        plan.weightGradient.add(to: &kernelGradient, on: stream)
        let biasValues = plan.biasGradient.data
        for j in biasGradient.indices { biasGradient[j] += biasValues[j] }
        guard let backwardData = plan.backwardData, let weights = plan.backwardDataWeights else { return nil }
        let count = inputShape.reduce(1, *)
        return [Float](unsafeUninitializedCapacity: count) { inputGradient, initialized in
            outputGradient.withUnsafeBufferPointer { outputGradient in
                kernel.withUnsafeBufferPointer { kernel in
                    weights.load(address(kernel), on: stream)
                    plan.destinationGradient.point(at: address(outputGradient))
                    plan.sourceGradient.point(at: address(UnsafeBufferPointer(inputGradient)))
                    backwardData.run(
                        [
                            (DNNL_ARG_DIFF_DST, plan.destinationGradient), (DNNL_ARG_WEIGHTS, weights.memory),
                            (DNNL_ARG_DIFF_SRC, plan.sourceGradient),
                        ], on: stream)
                }
            }
            initialized = count
        }
    }

    private func plan(for inputShape: [Int]) -> Plan? {
        // Before a primitive is made, too: oneDNN sizes its work split by the thread count then.
        paddock_openmp_use_one_thread()
        if let plan = plans[inputShape] { return plan }
        guard
            let plan = Plan(
                inputShape: inputShape, filters: filters, kernelSize: kernelSize, stride: stride,
                inputGradient: computesInputGradient, engine: engine)
        else { return nil }
        plans[inputShape] = plan
        return plan
    }
}

/// The primitives and memory objects for one input shape.
private final class Plan {
    let source: Memory
    let bias: Memory
    let destination: Memory
    let destinationGradient: Memory
    let sourceGradient: Memory
    let forward: Primitive
    let forwardWeights: WeightsInput
    let backwardWeights: Primitive
    let weightGradient: WeightsOutput
    let biasGradient: Memory
    let backwardData: Primitive?
    let backwardDataWeights: WeightsInput?

    init?(inputShape: [Int], filters: Int, kernelSize: Int, stride: Int, inputGradient: Bool, engine: dnnl_engine_t) {
        guard inputShape.count == 4 else { return nil }
        let (batch, height, width, channels) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let outputHeight = (height - kernelSize) / stride + 1
        let outputWidth = (width - kernelSize) / stride + 1
        // oneDNN's logical dimensions are (N, C, H, W) and (O, I, H, W); the tags give the layouts.
        guard
            let sourceMD = Descriptor([batch, channels, height, width], dnnl_nhwc),
            let destinationMD = Descriptor([batch, filters, outputHeight, outputWidth], dnnl_nhwc),
            let biasMD = Descriptor([filters], dnnl_x),
            let userWeightsMD = Descriptor([filters, channels, kernelSize, kernelSize], dnnl_hwio),
            let anyWeightsMD = Descriptor([filters, channels, kernelSize, kernelSize], dnnl_format_tag_any),
            let forward = Primitive(
                engine: engine,
                {
                    paddock_convolution_forward_pd(
                        &$0, engine, sourceMD.handle, anyWeightsMD.handle, biasMD.handle, destinationMD.handle,
                        Int64(stride))
                }),
            let backwardWeights = Primitive(
                engine: engine,
                {
                    paddock_convolution_backward_weights_pd(
                        &$0, engine, sourceMD.handle, anyWeightsMD.handle, biasMD.handle, destinationMD.handle,
                        Int64(stride), forward.descriptor)
                }),
            let source = Memory(sourceMD.handle, engine: engine),
            let bias = Memory(biasMD.handle, engine: engine),
            let destination = Memory(destinationMD.handle, engine: engine),
            let destinationGradient = Memory(destinationMD.handle, engine: engine),
            let sourceGradient = Memory(sourceMD.handle, engine: engine),
            let biasGradient = Memory(biasMD.handle, engine: engine, allocate: true),
            let forwardWeights = WeightsInput(
                user: userWeightsMD.handle, wanted: forward.wants(dnnl_query_weights_md), engine: engine),
            let weightGradient = WeightsOutput(
                produced: backwardWeights.wants(dnnl_query_diff_weights_md), user: userWeightsMD.handle,
                count: filters * channels * kernelSize * kernelSize, engine: engine)
        else { return nil }
        if inputGradient {
            guard
                let backwardData = Primitive(
                    engine: engine,
                    {
                        paddock_convolution_backward_data_pd(
                            &$0, engine, sourceMD.handle, anyWeightsMD.handle, destinationMD.handle, Int64(stride),
                            forward.descriptor)
                    }),
                let weights = WeightsInput(
                    user: userWeightsMD.handle, wanted: backwardData.wants(dnnl_query_weights_md), engine: engine)
            else { return nil }
            self.backwardData = backwardData
            backwardDataWeights = weights
        } else {
            backwardData = nil
            backwardDataWeights = nil
        }
        (self.source, self.bias, self.destination) = (source, bias, destination)
        (self.destinationGradient, self.sourceGradient, self.biasGradient) = (
            destinationGradient, sourceGradient, biasGradient
        )
        (self.forward, self.forwardWeights, self.backwardWeights, self.weightGradient) = (
            forward, forwardWeights, backwardWeights, weightGradient
        )
    }
}

/// A memory descriptor this code made (and frees).
private final class Descriptor {
    let handle: UnsafeMutableRawPointer

    init?(_ dimensions: [Int], _ tag: dnnl_format_tag_t) {
        let dims = dimensions.map(Int64.init)
        guard let handle = paddock_md_create(Int32(dims.count), dims, tag) else { return nil }
        self.handle = handle
    }

    deinit { paddock_md_destroy(handle) }
}

/// A oneDNN memory object: over a caller's buffer (`point(at:)` before each use) or its own.
private final class Memory {
    let memory: dnnl_memory_t

    init?(_ descriptor: UnsafeRawPointer, engine: dnnl_engine_t, allocate: Bool = false) {
        var memory: dnnl_memory_t?
        guard paddock_memory_create(&memory, descriptor, engine, allocate ? 1 : 0) == dnnl_success, let memory
        else { return nil }
        self.memory = memory
    }

    deinit { dnnl_memory_destroy(memory) }

    func point(at values: UnsafePointer<Float>) {
        dnnl_memory_set_data_handle(memory, UnsafeMutableRawPointer(mutating: values))
    }

    /// The buffer's values (for memory this object allocated).
    var data: UnsafeMutablePointer<Float> {
        var handle: UnsafeMutableRawPointer?
        guard dnnl_memory_get_data_handle(memory, &handle) == dnnl_success, let handle else {
            preconditionFailure("a oneDNN memory object has no buffer")
        }
        return handle.assumingMemoryBound(to: Float.self)
    }
}

/// A primitive and its descriptor.
private final class Primitive {
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t

    init?(engine: dnnl_engine_t, _ makeDescriptor: (inout dnnl_primitive_desc_t?) -> dnnl_status_t) {
        var descriptor: dnnl_primitive_desc_t?
        guard makeDescriptor(&descriptor) == dnnl_success, let descriptor else { return nil }
        var primitive: dnnl_primitive_t?
        guard dnnl_primitive_create(&primitive, descriptor) == dnnl_success, let primitive else {
            dnnl_primitive_desc_destroy(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.primitive = primitive
    }

    /// A reorder from one layout to another.
    convenience init?(reorderFrom from: UnsafeRawPointer, to: UnsafeRawPointer, engine: dnnl_engine_t) {
        self.init(engine: engine, { paddock_reorder_pd(&$0, from, to, engine) })
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The memory descriptor the primitive wants for `what`.
    func wants(_ what: dnnl_query_t) -> UnsafeRawPointer { paddock_pd_md(descriptor, what) }

    /// Runs the primitive and waits for it.
    func run(_ arguments: [(Int32, Memory)], on stream: dnnl_stream_t) {
        let args = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.memory) }
        let status = dnnl_primitive_execute(primitive, stream, Int32(args.count), args)
        precondition(status == dnnl_success, "oneDNN failed to run a convolution (status \(status.rawValue))")
        let waited = dnnl_stream_wait(stream)
        precondition(waited == dnnl_success, "oneDNN failed to finish a convolution (status \(waited.rawValue))")
    }
}

/// Weights a primitive reads: the kernel itself when the primitive takes TensorFlow's layout,
/// else a copy reordered into the primitive's layout.
private final class WeightsInput {
    let memory: Memory
    private let user: Memory?
    private let reorder: Primitive?

    init?(user userMD: UnsafeRawPointer, wanted: UnsafeRawPointer, engine: dnnl_engine_t) {
        if paddock_md_equal(userMD, wanted) != 0 {
            guard let memory = Memory(userMD, engine: engine) else { return nil }
            (self.memory, user, reorder) = (memory, nil, nil)
        } else {
            guard let memory = Memory(wanted, engine: engine, allocate: true),
                let user = Memory(userMD, engine: engine),
                let reorder = Primitive(reorderFrom: userMD, to: wanted, engine: engine)
            else { return nil }
            (self.memory, self.user, self.reorder) = (memory, user, reorder)
        }
    }

    /// Makes `memory` hold `kernel` (TensorFlow's layout).
    func load(_ kernel: UnsafePointer<Float>, on stream: dnnl_stream_t) {
        guard let user, let reorder else {
            memory.point(at: kernel)
            return
        }
        user.point(at: kernel)
        reorder.run([(DNNL_ARG_FROM, user), (DNNL_ARG_TO, memory)], on: stream)
    }
}

/// The weight gradient a primitive writes, in its layout, and the same in TensorFlow's layout.
private final class WeightsOutput {
    let memory: Memory
    private let user: Memory
    private let reorder: Primitive?
    private let count: Int

    init?(produced: UnsafeRawPointer, user userMD: UnsafeRawPointer, count: Int, engine: dnnl_engine_t) {
        guard let memory = Memory(produced, engine: engine, allocate: true) else { return nil }
        if paddock_md_equal(userMD, produced) != 0 {
            (self.memory, user, reorder) = (memory, memory, nil)
        } else {
            guard let user = Memory(userMD, engine: engine, allocate: true),
                let reorder = Primitive(reorderFrom: produced, to: userMD, engine: engine)
            else { return nil }
            (self.memory, self.user, self.reorder) = (memory, user, reorder)
        }
        self.count = count
    }

    /// Adds the gradient, in TensorFlow's layout, to `gradient`.
    func add(to gradient: inout [Float], on stream: dnnl_stream_t) {
        precondition(gradient.count == count, "a kernel gradient of \(gradient.count) values, not \(count)")
        reorder?.run([(DNNL_ARG_FROM, memory), (DNNL_ARG_TO, user)], on: stream)
        let values = user.data
        for i in 0..<count { gradient[i] += values[i] }
    }
}

/// The first value's address of a buffer that is never empty here (every shape is positive).
private func address(_ buffer: UnsafeBufferPointer<Float>) -> UnsafePointer<Float> {
    guard let base = buffer.baseAddress else { preconditionFailure("an empty tensor reached a convolution") }
    return base
}
