/* dispatch.h: one request from FastCGI parameters to a flushed response. */
#ifndef HT_DISPATCH_H
#define HT_DISPATCH_H

#include "app.h"

#include <fcgiapp.h>

/* Handle the accepted request fx: parse, route, authorise, validate,
 * call the handler, write the response, log one line. arena is reset by
 * the caller afterwards. */
void dispatch(struct app *app, FCGX_Request *fx, struct arena *arena);

/* Open the metrics file at path for this worker, with the route table's
 * label sets (metrics_open; off when path is empty or it fails, logged). */
int dispatch_metrics_open(const char *path);

/* The CSRF rule for state-changing requests: same origin, and the token
 * echoed — form_token from a form field, or the X-CSRF-Token header for API
 * calls with a session; anonymous API writes must be JSON. */
int csrf_ok(const struct req *r, const char *form_token);

#endif
