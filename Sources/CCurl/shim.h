#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: typed wrappers.
static inline CURLcode paddock_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode paddock_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode paddock_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
typedef size_t (*paddock_curl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode paddock_curl_set_write_function(CURL *handle, paddock_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline long paddock_curl_response_code(CURL *handle) {
    long code = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

static const CURLoption PADDOCK_CURLOPT_URL = CURLOPT_URL;
static const CURLoption PADDOCK_CURLOPT_CUSTOMREQUEST = CURLOPT_CUSTOMREQUEST;
static const CURLoption PADDOCK_CURLOPT_HTTPHEADER = CURLOPT_HTTPHEADER;
static const CURLoption PADDOCK_CURLOPT_POSTFIELDS = CURLOPT_COPYPOSTFIELDS;
static const CURLoption PADDOCK_CURLOPT_MIMEPOST = CURLOPT_MIMEPOST;
static const CURLoption PADDOCK_CURLOPT_WRITEDATA = CURLOPT_WRITEDATA;
static const CURLoption PADDOCK_CURLOPT_COOKIEFILE = CURLOPT_COOKIEFILE;
static const CURLoption PADDOCK_CURLOPT_SSL_VERIFYPEER = CURLOPT_SSL_VERIFYPEER;
static const CURLoption PADDOCK_CURLOPT_SSL_VERIFYHOST = CURLOPT_SSL_VERIFYHOST;
static const CURLoption PADDOCK_CURLOPT_CONNECTTIMEOUT = CURLOPT_CONNECTTIMEOUT;
static const CURLoption PADDOCK_CURLOPT_TIMEOUT = CURLOPT_TIMEOUT;
static const CURLoption PADDOCK_CURLOPT_NOSIGNAL = CURLOPT_NOSIGNAL;
static const CURLoption PADDOCK_CURLOPT_HTTPGET = CURLOPT_HTTPGET;
static const CURLoption PADDOCK_CURLOPT_PROXY = CURLOPT_PROXY;
