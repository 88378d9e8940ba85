/* page-home.c: the front page. */
#include "handlers.h"
#include "respond.h"

void page_home(struct req *r)
{
	respond_page(r, 200, "home", _("hashtagger: photos in, hashtags out"), NULL);
}
