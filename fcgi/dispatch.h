/* dispatch.h: one request from FastCGI parameters to a flushed response. */
#ifndef HT_DISPATCH_H
#define HT_DISPATCH_H

#include "app.h"

#include <fcgiapp.h>

/* Handle the accepted request fx: parse, route, authorise, validate,
 * call the handler, write the response, log one line. arena is reset by
 * the caller afterwards. */
void dispatch(struct app *app, FCGX_Request *fx, struct arena *arena);

#endif
