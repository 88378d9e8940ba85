/* shim.h: the C ABI of the libtorch shim (shim.cc, built alone into
 * libht-torch.so). tagger.c loads that library with dlopen, so web workers
 * never map libtorch. No C++ exception crosses these functions. */
#ifndef HT_TAGGER_SHIM_H
#define HT_TAGGER_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ts_model;

/* Set libtorch's intra-op thread count (inter-op: 1). Call once, first. */
void ts_threads(int n);
/* Load a TorchScript file for inference. NULL with a reason in err. */
struct ts_model *ts_load(const char *path, char *err, size_t errlen);
/* Run forward on one float32 tensor of the given shape and copy each output
 * tensor (a tensor or a tuple of tensors) into outs[i], which holds exactly
 * outlen[i] floats. 0, or -1 with a reason in err (shape mismatch, model
 * error). */
int ts_run(struct ts_model *m, const float *in, const int64_t *shape, int ndim, float *const *outs,
           const size_t *outlen, int nout, char *err, size_t errlen);
void ts_free(struct ts_model *m);

/* Symbol table tagger.c resolves from the library. */
struct ts_api {
	void (*threads)(int n);
	struct ts_model *(*load)(const char *path, char *err, size_t errlen);
	int (*run)(struct ts_model *m, const float *in, const int64_t *shape, int ndim,
	           float *const *outs, const size_t *outlen, int nout, char *err, size_t errlen);
	void (*free)(struct ts_model *m);
};

#ifdef __cplusplus
}
#endif

#endif
