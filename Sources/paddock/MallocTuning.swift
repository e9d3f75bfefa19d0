#if canImport(CMalloc)
    import CMalloc
#endif

/// Keeps freed large blocks in the heap for the next allocation instead of handing them back
/// to the system.
///
/// A PPO update allocates the same activation and gradient arrays every time, several megabytes
/// each for DeepRacer's networks (a batch of 64 through the 3-layer CNN's first convolution is
/// 9 MB). glibc serves blocks that large with fresh pages from mmap, which the kernel faults in
/// and zeroes on every use: that was half the time of that convolution and about 4 % of the whole
/// update (`paddock bench conv`, `paddock bench learn`). With these limits freed blocks up to
/// 256 MB are reused, and the heap gives memory back once 512 MB sits free at its top.
enum MallocTuning {
    static func keepLargeBlocks() {
        #if canImport(CMalloc)
            _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
            _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }
}
