// shim.cc: the only C++ in hashtagger — a thin extern "C" layer over
// libtorch's TorchScript loader (see shim.h). Every entry point catches
// everything; errors come back as text.
#include "shim.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

struct ts_model {
	torch::jit::script::Module mod;
};

static void say(char *err, size_t errlen, const char *what, const char *detail)
{
	if (err != nullptr && errlen > 0) {
		// keep the first line of libtorch's (long) messages
		std::string d(detail != nullptr ? detail : "");
		size_t nl = d.find('\n');
		if (nl != std::string::npos)
			d.resize(nl);
		std::snprintf(err, errlen, "%s: %s", what, d.c_str());
	}
}

extern "C" void ts_threads(int n)
{
	try {
		at::set_num_threads(n > 0 ? n : 1);
		// denormal activations can make a forward many times slower
		at::globalContext().setFlushDenormal(true);
		at::set_num_interop_threads(1);
	} catch (...) {
		// inter-op threads can only be set once per process; keep going
	}
}

extern "C" struct ts_model *ts_load(const char *path, char *err, size_t errlen)
{
	ts_model *m = nullptr;
	try {
		m = new ts_model{torch::jit::load(path, torch::kCPU)};
		m->mod.eval();
		return m;
	} catch (const std::exception &e) {
		say(err, errlen, "cannot load model", e.what());
	} catch (...) {
		say(err, errlen, "cannot load model", "unknown error");
	}
	delete m;
	return nullptr;
}

static int copy_out(const at::Tensor &t, float *out, size_t len, char *err, size_t errlen)
{
	at::Tensor c = t.to(torch::kFloat32).contiguous();
	if ((size_t)c.numel() != len) {
		say(err, errlen, "model output", "unexpected size");
		return -1;
	}
	std::memcpy(out, c.data_ptr<float>(), len * sizeof(float));
	return 0;
}

extern "C" int ts_run(struct ts_model *m, const float *in, const int64_t *shape, int ndim,
                      float *const *outs, const size_t *outlen, int nout, char *err, size_t errlen)
{
	try {
		c10::InferenceMode guard;
		std::vector<int64_t> dims(shape, shape + ndim);
		// from_blob does not copy and never writes: the const_cast is safe
		at::Tensor x = torch::from_blob(const_cast<float *>(in), dims, torch::kFloat32);
		c10::IValue y = m->mod.forward({x});
		if (y.isTensor()) {
			if (nout != 1) {
				say(err, errlen, "model output", "one tensor, more expected");
				return -1;
			}
			return copy_out(y.toTensor(), outs[0], outlen[0], err, errlen);
		}
		if (!y.isTuple()) {
			say(err, errlen, "model output", "neither tensor nor tuple");
			return -1;
		}
		const auto &el = y.toTuple()->elements();
		if ((int)el.size() != nout) {
			say(err, errlen, "model output", "unexpected number of outputs");
			return -1;
		}
		for (int i = 0; i < nout; i++)
			if (copy_out(el[i].toTensor(), outs[i], outlen[i], err, errlen) != 0)
				return -1;
		return 0;
	} catch (const std::exception &e) {
		say(err, errlen, "inference failed", e.what());
	} catch (...) {
		say(err, errlen, "inference failed", "unknown error");
	}
	return -1;
}

extern "C" void ts_free(struct ts_model *m)
{
	try {
		delete m;
	} catch (...) {
	}
}
