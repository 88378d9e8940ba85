/* handlers.h: every handler named in the route table, by file. */
#ifndef HT_HANDLERS_H
#define HT_HANDLERS_H

#include "app.h"

/* page-home.c */
void page_home(struct req *r);
/* page-lang.c: the language selector */
void page_lang(struct req *r);
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
void page_account_token_create(struct req *r);
void page_account_token_delete(struct req *r);
/* api-health.c */
void api_healthz(struct req *r);
void api_readyz(struct req *r);
void api_info(struct req *r);
/* api-metrics.c */
void api_metrics(struct req *r);
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

/* hashtag workflow: page-tags.c, api-tags.c */
void page_photo_tags(struct req *r);
void page_account_prefs(struct req *r);
void api_image_tags_add(struct req *r);
void api_image_tags_update(struct req *r);
void api_image_copy(struct req *r);
void api_prefs_get(struct req *r);
void api_prefs_set(struct req *r);

/* collections: page-collections.c, api-collections.c */
void page_collections(struct req *r);
void page_collection_create(struct req *r);
void page_collection(struct req *r);
void page_collection_rename(struct req *r);
void page_collection_delete(struct req *r);
void page_collection_add(struct req *r);
void page_collection_add_photo(struct req *r);
void page_collection_remove(struct req *r);
void page_collection_share(struct req *r);
void page_collection_unshare(struct req *r);
void page_shared(struct req *r);
void shared_thumb(struct req *r);
void api_collections_list(struct req *r);
void api_collection_create(struct req *r);
void api_collection_get(struct req *r);
void api_collection_rename(struct req *r);
void api_collection_delete(struct req *r);
void api_collection_add(struct req *r);
void api_collection_remove(struct req *r);
void api_collection_share(struct req *r);
void api_collection_unshare(struct req *r);
/* page-collections.c, shared with api-collections.c and page-photo.c: a
 * collection's JSON shape {id, name, photo_count, count_text, created_at,
 * updated_at, shared, shared_at, cover {id, thumb} | null, urls {page}},
 * and the photo page's "collect" context (the viewer's collections holding
 * image_id and those it can go into), added to ctx only for the owner. */
struct collection;
cJSON *view_collection(const struct req *r, const struct collection *c);
void collections_photo_ctx(struct req *r, const char *image_id, cJSON *ctx);

/* exports: page-exports.c */
void page_export_history_csv(struct req *r);
void page_export_history_json(struct req *r);
void page_photo_xmp(struct req *r);
void api_export_history_csv(struct req *r);
void api_export_history_json(struct req *r);
void api_image_xmp(struct req *r);

/* api-tokens.c */
void api_auth_login(struct req *r);
void api_auth_refresh(struct req *r);
void api_auth_logout(struct req *r);
void api_tokens_list(struct req *r);
void api_tokens_create(struct req *r);
void api_tokens_delete(struct req *r);

/* admin: moderation queue and audit log (page-moderation.c, page-audit.c,
 * api-admin.c). A queue item {image, owner_email, nsfw, nsfw_percent,
 * approved_before}, a decision {image_id, moderation, reason, moderated_at}
 * and an audit entry {at, actor_email, action, target_type, target_id,
 * detail}; audit filters from the request's validated parameters. */
struct mod_item;
struct mod_outcome;
struct audit_entry;
struct audit_filter;
cJSON *view_mod_item(const struct req *r, const struct mod_item *it);
cJSON *view_mod_outcome(const char *image_id, const struct mod_outcome *m);
cJSON *view_audit_entry(const struct audit_entry *e);
void audit_filter_from(const struct req *r, struct audit_filter *f);
void page_admin_moderation(struct req *r);
void page_admin_moderation_approve(struct req *r);
void page_admin_moderation_remove(struct req *r);
void page_admin_audit(struct req *r);
void api_admin_moderation(struct req *r);
void api_admin_moderation_approve(struct req *r);
void api_admin_moderation_remove(struct req *r);
void api_admin_audit(struct req *r);

/* admin: statistics (page-stats.c, api-stats.c). view_stats is the JSON of
 * GET /api/v1/admin/stats, which the page adds its texts and charts to. */
struct stats_range;
struct stats;
cJSON *view_stats(const struct stats_range *r, const struct stats *s);
void page_admin_stats(struct req *r);
void page_admin_job_retry(struct req *r);
void api_admin_stats(struct req *r);
void api_admin_job_retry(struct req *r);

/* admin: users (page-users.c, page-user.c, api-users.c). A listed user
 * {id, email, role, state, created_at, last_login_at, image_count,
 * storage_bytes}; view_admin_user_text adds what the pages show (dates and
 * sizes as text, is_admin, disabled, page). One user in detail {user,
 * sessions, api_tokens, refresh_tokens, quota {exempt, storage_bytes,
 * storage_limit, uploads_today, uploads_day_limit}, top_hashtags [{tag,
 * hashtag, count}]}. List filters from the request's validated parameters;
 * the absolute address of a password reset link. */
struct admin_user;
struct user_detail;
struct userlist_filter;
cJSON *view_admin_user(const struct admin_user *u);
void view_admin_user_text(const struct req *r, const struct admin_user *u, cJSON *o);
cJSON *view_user_detail(const struct config *cfg, const struct user_detail *d);
void admin_users_filter(const struct req *r, struct userlist_filter *f);
const char *admin_reset_url(struct req *r, const char *token);
void page_admin_users(struct req *r);
void page_admin_users_csv(struct req *r);
void page_admin_user(struct req *r);
void page_admin_user_disable(struct req *r);
void page_admin_user_enable(struct req *r);
void page_admin_user_promote(struct req *r);
void page_admin_user_demote(struct req *r);
void page_admin_user_reset(struct req *r);
void page_admin_user_delete(struct req *r);
void api_admin_users(struct req *r);
void api_admin_users_csv(struct req *r);
void api_admin_user(struct req *r);
void api_admin_user_images(struct req *r);
void api_admin_user_disable(struct req *r);
void api_admin_user_enable(struct req *r);
void api_admin_user_promote(struct req *r);
void api_admin_user_demote(struct req *r);
void api_admin_user_reset(struct req *r);
void api_admin_user_delete(struct req *r);
/* the one-time password reset link (page-reset.c) */
void page_reset_form(struct req *r);
void page_reset(struct req *r);
void api_password_reset(struct req *r);

#endif
