// oneDNN (Debian/Ubuntu libdnnl-dev): the JIT convolution kernels TensorFlow uses, for
// NeuralNetwork's Conv2D. Debian 12 ships oneDNN 2.x and Ubuntu 24.04 3.x, whose C APIs differ
// in how memory descriptors are made and held; the helpers below give Swift one API for both.
// A memory descriptor is an opaque `void *` on the Swift side.
#include <dlfcn.h>
#include <stdlib.h>
#include <oneapi/dnnl/dnnl.h>

#if DNNL_VERSION_MAJOR >= 3
typedef dnnl_memory_desc_t paddock_md_handle;
#define PADDOCK_MD(md) ((const_dnnl_memory_desc_t)(md))
#else
typedef dnnl_memory_desc_t *paddock_md_handle;
#define PADDOCK_MD(md) ((const dnnl_memory_desc_t *)(md))
#endif

/// A new plain f32 memory descriptor of `ndims` dimensions in the layout `tag` (may be
/// dnnl_format_tag_any); NULL if oneDNN refuses it. Free with paddock_md_destroy.
static inline void *paddock_md_create(int ndims, const int64_t *dims, dnnl_format_tag_t tag) {
    dnnl_dims_t d;
    for (int i = 0; i < ndims; i++) d[i] = dims[i];
#if DNNL_VERSION_MAJOR >= 3
    dnnl_memory_desc_t md = NULL;
    if (dnnl_memory_desc_create_with_tag(&md, ndims, d, dnnl_f32, tag) != dnnl_success) return NULL;
    return md;
#else
    dnnl_memory_desc_t *md = malloc(sizeof(dnnl_memory_desc_t));
    if (md == NULL) return NULL;
    if (dnnl_memory_desc_init_by_tag(md, ndims, d, dnnl_f32, tag) != dnnl_success) {
        free(md);
        return NULL;
    }
    return md;
#endif
}

static inline void paddock_md_destroy(void *md) {
#if DNNL_VERSION_MAJOR >= 3
    dnnl_memory_desc_destroy((dnnl_memory_desc_t)md);
#else
    free(md);
#endif
}

/// The descriptor a primitive wants for `what` (such as dnnl_query_weights_md); owned by the
/// primitive descriptor.
static inline const void *paddock_pd_md(const_dnnl_primitive_desc_t pd, dnnl_query_t what) {
    return (const void *)dnnl_primitive_desc_query_md(pd, what, 0);
}

static inline int paddock_md_equal(const void *a, const void *b) {
    return dnnl_memory_desc_equal(PADDOCK_MD(a), PADDOCK_MD(b));
}

/// A memory object for `md`; with `handle` NULL it owns no buffer yet (set one with
/// dnnl_memory_set_data_handle), with `allocate` nonzero oneDNN allocates one.
static inline dnnl_status_t paddock_memory_create(
    dnnl_memory_t *memory, const void *md, dnnl_engine_t engine, int allocate
) {
    return dnnl_memory_create(memory, PADDOCK_MD(md), engine, allocate ? DNNL_MEMORY_ALLOCATE : DNNL_MEMORY_NONE);
}

static inline dnnl_status_t paddock_reorder_pd(
    dnnl_primitive_desc_t *pd, const void *from, const void *to, dnnl_engine_t engine
) {
    return dnnl_reorder_primitive_desc_create(pd, PADDOCK_MD(from), engine, PADDOCK_MD(to), engine, NULL);
}

/// Direct convolution, square `stride`, no padding or dilation (TensorFlow's VALID), for
/// training (forward, then the gradients with respect to the input and the weights).
static inline dnnl_status_t paddock_convolution_forward_pd(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, const void *src, const void *weights, const void *bias,
    const void *dst, int64_t stride
) {
    dnnl_dims_t strides = {stride, stride}, zero = {0, 0};
#if DNNL_VERSION_MAJOR >= 3
    return dnnl_convolution_forward_primitive_desc_create(
        pd, engine, dnnl_forward_training, dnnl_convolution_direct, PADDOCK_MD(src), PADDOCK_MD(weights),
        PADDOCK_MD(bias), PADDOCK_MD(dst), strides, zero, zero, zero, NULL);
#else
    dnnl_convolution_desc_t desc;
    dnnl_status_t status = dnnl_convolution_forward_desc_init(
        &desc, dnnl_forward_training, dnnl_convolution_direct, PADDOCK_MD(src), PADDOCK_MD(weights),
        PADDOCK_MD(bias), PADDOCK_MD(dst), strides, zero, zero);
    if (status != dnnl_success) return status;
    return dnnl_primitive_desc_create(pd, &desc, NULL, engine, NULL);
#endif
}

static inline dnnl_status_t paddock_convolution_backward_data_pd(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, const void *diff_src, const void *weights,
    const void *diff_dst, int64_t stride, const_dnnl_primitive_desc_t forward
) {
    dnnl_dims_t strides = {stride, stride}, zero = {0, 0};
#if DNNL_VERSION_MAJOR >= 3
    return dnnl_convolution_backward_data_primitive_desc_create(
        pd, engine, dnnl_convolution_direct, PADDOCK_MD(diff_src), PADDOCK_MD(weights), PADDOCK_MD(diff_dst),
        strides, zero, zero, zero, forward, NULL);
#else
    dnnl_convolution_desc_t desc;
    dnnl_status_t status = dnnl_convolution_backward_data_desc_init(
        &desc, dnnl_convolution_direct, PADDOCK_MD(diff_src), PADDOCK_MD(weights), PADDOCK_MD(diff_dst), strides,
        zero, zero);
    if (status != dnnl_success) return status;
    return dnnl_primitive_desc_create(pd, &desc, NULL, engine, forward);
#endif
}

static inline dnnl_status_t paddock_convolution_backward_weights_pd(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, const void *src, const void *diff_weights,
    const void *diff_bias, const void *diff_dst, int64_t stride, const_dnnl_primitive_desc_t forward
) {
    dnnl_dims_t strides = {stride, stride}, zero = {0, 0};
#if DNNL_VERSION_MAJOR >= 3
    return dnnl_convolution_backward_weights_primitive_desc_create(
        pd, engine, dnnl_convolution_direct, PADDOCK_MD(src), PADDOCK_MD(diff_weights), PADDOCK_MD(diff_bias),
        PADDOCK_MD(diff_dst), strides, zero, zero, zero, forward, NULL);
#else
    dnnl_convolution_desc_t desc;
    dnnl_status_t status = dnnl_convolution_backward_weights_desc_init(
        &desc, dnnl_convolution_direct, PADDOCK_MD(src), PADDOCK_MD(diff_weights), PADDOCK_MD(diff_bias),
        PADDOCK_MD(diff_dst), strides, zero, zero);
    if (status != dnnl_success) return status;
    return dnnl_primitive_desc_create(pd, &desc, NULL, engine, forward);
#endif
}

/// oneDNN runs on OpenMP (libgomp), whose threads default to one per core. Paddock runs each
/// network on one thread (the policy and the value network side by side), so the calling
/// thread's OpenMP team is set to one thread. libgomp is loaded with libdnnl; found at run time
/// so that no development link to libgomp is needed.
static inline void paddock_openmp_use_one_thread(void) {
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (set != NULL) set(1);
}
