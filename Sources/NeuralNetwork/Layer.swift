/// One step of a network: turns a batch of inputs into a batch of outputs, and gradients of
/// the loss with respect to its outputs into gradients with respect to its inputs and its
/// parameters.
///
/// `forward` remembers what `backward` needs, so call `backward` after the matching `forward`.
public protocol Layer: AnyObject {
    /// Trainable parameters (empty for activations).
    var parameters: [Parameter] { get }
    /// The shape of one output item for one input item's shape (both without the batch).
    func outputShape(for inputShape: [Int]) -> [Int]
    func forward(_ input: Tensor) -> Tensor
    /// Adds to the parameters' gradients and returns the gradient with respect to the input.
    func backward(_ outputGradient: Tensor) -> Tensor
}
