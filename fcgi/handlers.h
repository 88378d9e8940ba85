/* handlers.h: every handler named in the route table, by file. */
#ifndef HT_HANDLERS_H
#define HT_HANDLERS_H

#include "app.h"

/* page-home.c */
void page_home(struct req *r);
/* page-auth.c */
void page_register_form(struct req *r);
void page_register(struct req *r);
void page_login_form(struct req *r);
void page_login(struct req *r);
void page_logout(struct req *r);
/* page-account.c */
void page_account(struct req *r);
void page_account_password(struct req *r);
void page_account_delete(struct req *r);
/* api-health.c */
void api_healthz(struct req *r);
void api_readyz(struct req *r);
void api_info(struct req *r);
/* api-auth.c */
void api_register(struct req *r);
void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_me_password(struct req *r);
void api_me_delete(struct req *r);

/* page-upload.c */
void page_upload_form(struct req *r);
void page_upload(struct req *r);
/* page-history.c */
void page_history(struct req *r);
/* page-photo.c */
void page_photo(struct req *r);
void page_photo_delete(struct req *r);
void page_photo_export(struct req *r);
void media_thumb(struct req *r);
void media_original(struct req *r);
/* api-images.c */
void api_images_upload(struct req *r);
void api_images_list(struct req *r);
void api_image_get(struct req *r);
void api_image_delete(struct req *r);

#endif
