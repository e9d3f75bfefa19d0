/// Why a workshop request was refused, with the HTTP status it answers with.
public struct WorkshopError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    static func badRequest(_ message: String) -> WorkshopError { WorkshopError(400, message) }
    static let wrongCode = WorkshopError(
        403, "That join code is not this workshop's. Ask the instructor for the code on the screen.")
    static let notAuthorised = WorkshopError(
        401, "Join the workshop first (your token is missing or not this workshop's).")
    static let instructorOnly = WorkshopError(403, "Only the instructor can do that.")
}
