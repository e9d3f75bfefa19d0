// Debian's CPython (python3-dev) for embedding. <sys/select.h> must come first, or clean builds
// fail with "'__fds_bits' from module 'CDispatch' is not present in definition of 'fd_set'".
#include <sys/select.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// Macros and variadic helpers do not import into Swift: small inline wrappers instead.
static inline PyObject *paddock_None(void) { return Py_None; }
static inline PyObject *paddock_True(void) { return Py_True; }
static inline PyObject *paddock_False(void) { return Py_False; }
static inline void paddock_IncRef(PyObject *o) { Py_INCREF(o); }
static inline void paddock_DecRef(PyObject *o) { Py_DECREF(o); }
static inline void paddock_XDecRef(PyObject *o) { Py_XDECREF(o); }
static inline int paddock_FloatCheck(PyObject *o) { return PyFloat_Check(o); }
static inline int paddock_LongCheck(PyObject *o) { return PyLong_Check(o); }
static inline int paddock_BoolCheck(PyObject *o) { return PyBool_Check(o); }
static inline PyObject *paddock_ExcTimeoutError(void) { return PyExc_TimeoutError; }
static inline PyObject *paddock_ExcSyntaxError(void) { return PyExc_SyntaxError; }
static inline int paddock_MajorVersion(void) { return PY_MAJOR_VERSION; }
static inline int paddock_MinorVersion(void) { return PY_MINOR_VERSION; }
static inline PyObject *paddock_NewFloatPair(double x, double y) {
    PyObject *t = PyTuple_New(2);
    if (!t) return NULL;
    PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(x));
    PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(y));
    return t;
}
static inline PyObject *paddock_NewFloatList2(double x, double y) {
    PyObject *l = PyList_New(2);
    if (!l) return NULL;
    PyList_SET_ITEM(l, 0, PyFloat_FromDouble(x));
    PyList_SET_ITEM(l, 1, PyFloat_FromDouble(y));
    return l;
}
static inline PyObject *paddock_NewIntList2(long a, long b) {
    PyObject *l = PyList_New(2);
    if (!l) return NULL;
    PyList_SET_ITEM(l, 0, PyLong_FromLong(a));
    PyList_SET_ITEM(l, 1, PyLong_FromLong(b));
    return l;
}
// Steals a reference to `item`.
static inline void paddock_ListSetItem(PyObject *list, Py_ssize_t i, PyObject *item) { PyList_SET_ITEM(list, i, item); }
