/* upload.h: one upload request, shared by the page and the API — stream
 * the multipart body into temp files (size limits while streaming), check
 * CSRF before the first file, then validate and store each file through
 * images_ingest. */
#ifndef HT_UPLOAD_H
#define HT_UPLOAD_H

#include "app.h"
#include "images.h"

struct upload_outcome {
	const char *name; /* display name of the file */
	int status;       /* 201 stored (200 when already there), else 4xx/5xx */
	const char *why;  /* reason when not stored */
	int duplicate;
	long retry_after; /* seconds, for a daily quota */
	struct image img; /* when stored */
	struct media_tmp tmp;
	int skip; /* data beyond the size limit is dropped */
};

struct upload_result {
	int status;      /* 0, or the request failed before any file was stored */
	const char *why; /* reason for status */
	struct upload_outcome *files;
	int n, stored;
	const char *caption;
};

void upload_run(struct req *r, struct upload_result *res);

#endif
