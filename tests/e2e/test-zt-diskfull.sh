# test-zt-diskfull.sh: the media folder on a small tmpfs (mounted over it,
# with its files copied in) fills up. An upload that does not fit is a 507
# with a reason; nothing of it stays (no row, no original, no thumbnail, no
# temporary file); everything acknowledged before is complete; deleting a
# photo makes room and uploads work again. Needs root (mount): skipped with
# the reason where the machine refuses the mount.

full_media_check() {
	# this user's rows: original (bytes as recorded) and thumbnail present
	sql "SELECT i.sha256, i.bytes FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email'" | while IFS='|' read -r sha bytes; do
		d=$VAR/media/$(echo "$sha" | cut -c1-2)
		[ "$(stat -c %s "$d/$sha" 2>/dev/null)" = "$bytes" ] || { echo "original of $sha"; return 1; }
		[ -s "$d/$sha.jpg" ] || { echo "thumbnail of $sha"; return 1; }
	done >check.out || { fail "incomplete photo: $(cat check.out)"; return 1; }
	# no file but the ones there before and this user's, nothing in tmp/
	sql "SELECT i.sha256 FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email'" | sed 'p; s/$/.jpg/' | cat - before.files | sort -u >allowed
	find "$VAR/media" -path "$VAR/media/tmp" -prune -o -type f -print | sed 's|.*/||' | sort >now
	[ -z "$(comm -23 now allowed)" ] || fail "stray files: $(comm -23 now allowed)" || return 1
	[ -z "$(ls -A "$VAR/media/tmp")" ] || fail "temporary files left: $(ls "$VAR/media/tmp")"
}

test_disk_full_is_507_and_leaves_nothing_half_written() {
	email=$(new_email)
	register "$email" || return 1
	"$HT_BIN" user promote "$email" >/dev/null || return 1 # no quota in the way
	find "$VAR/media" -path "$VAR/media/tmp" -prune -o -type f -print | sed 's|.*/||' |
		sort >before.files
	used=$(du -sk "$VAR/media" | cut -f1)
	mkdir -p full
	owner=$(stat -c %u:%g "$VAR/media")
	if ! mount -t tmpfs -o "size=$((used + 1200))k,mode=0755,uid=${owner%:*},gid=${owner#*:}" \
		tmpfs full 2>mount.err; then
		echo "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): $(cat mount.err)"
		return 77
	fi
	if ! { cp -a "$VAR/media/." full/ && mount --bind full "$VAR/media"; }; then
		umount full
		fail "could not put the tmpfs in place"
		return 1
	fi
	umount -l full # the bind mount keeps it alive
	# shellcheck disable=SC2317 # run by the trap
	full_unmount() { umount "$VAR/media"; }
	trap full_unmount EXIT
	echo "  media on a tmpfs with $(df -k --output=avail "$VAR/media" | tail -1 | tr -d ' ') kB free"

	# a 1.8 MB photo in 1.2 MB of room
	cp "$FIX/coffee-12mp.jpg" big.jpg && printf 'disk full' >>big.jpg
	api_upload big.jpg
	expect_status 507 && expect_body 'no room left' || return 1
	[ "$(sql "SELECT count(*) FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email'")" = 0 ] || fail "a row for the refused photo" || return 1
	full_media_check || return 1

	# 240 KB photos until the disk is full: each answer a 201 or a 507
	n=0 stored=0
	while [ $n -lt 12 ]; do
		cp "$FIX/cat.png" "c$n.png" && printf 'variant %s' "$n" >>"c$n.png"
		api_upload "c$n.png"
		n=$((n + 1))
		case $STATUS in
		201) stored=$((stored + 1)) ;;
		507) expect_body 'no room left' || return 1; break ;;
		*) fail "c$n.png answered $STATUS" || return 1 ;;
		esac
	done
	echo "  $stored photos stored, then $STATUS"
	[ "$STATUS" = 507 ] && [ "$stored" -gt 0 ] || fail "the disk never filled" || return 1
	full_media_check || return 1
	req GET /healthz && expect_status 200 || return 1

	# room again: delete one, upload the refused one
	id=$(sql "SELECT i.public_id FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email' LIMIT 1")
	req GET /upload
	req DELETE "/api/v1/images/$id" -H "X-CSRF-Token: $(csrf_of)"
	expect_status 204 || return 1
	api_upload "c$((n - 1)).png"
	expect_status 201 || return 1
	full_media_check || return 1

	# leave the disk as it was: this user's photos go, the tmpfs goes
	req GET /upload
	tok=$(csrf_of)
	for id in $(sql "SELECT i.public_id FROM images i JOIN users u ON u.id = i.owner_id
	  WHERE u.email = '$email'"); do
		req DELETE "/api/v1/images/$id" -H "X-CSRF-Token: $tok"
		expect_status 204 || return 1
	done
	full_media_check
}
