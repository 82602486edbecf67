// Non-variadic wrappers over libcurl's setopt/getinfo, which Swift cannot call directly.
#include <curl/curl.h>

typedef size_t (*ccurl_write_fn)(char *, size_t, size_t, void *);
typedef int (*ccurl_xfer_fn)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

static inline CURLcode ccurl_set_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode ccurl_set_str(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode ccurl_set_ptr(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode ccurl_set_slist(CURL *c, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode ccurl_set_write_fn(CURL *c, CURLoption o, ccurl_write_fn f) { return curl_easy_setopt(c, o, f); }
static inline CURLcode ccurl_set_xfer_fn(CURL *c, ccurl_xfer_fn f) { return curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, f); }
static inline CURLcode ccurl_set_postfields(CURL *c, const char *data, long len) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, len);
    return curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, data);
}
static inline long ccurl_response_code(CURL *c) { long v = 0; curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &v); return v; }
