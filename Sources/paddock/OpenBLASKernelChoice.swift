import Foundation
import NeuralNetwork

#if canImport(Glibc)
    import Glibc
#endif

/// Starts Paddock again with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to its generic
/// kernel on a processor that has a faster one (see `BLASKernel`). The variable must be set
/// before the library loads, so the process replaces itself once; a value the user or the
/// system set is always kept.
enum OpenBLASKernelChoice {
    static func applyBeforeStart() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["PADDOCK_OPENBLAS_CHOSEN"] == nil,
            let cpuInfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flagsLine = cpuInfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let coreType = BLASKernel.suggestedCoreType(
                currentKernel: BLASKernel.name,
                cpuFlags: Set(flagsLine.split(separator: ":").last?.split(separator: " ").map(String.init) ?? []))
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        // Marks the second start, so a failed exec or an ignored variable never loops.
        setenv("PADDOCK_OPENBLAS_CHOSEN", coreType, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure: go on with OpenBLAS's own choice.
    }
}
