// SPDX-License-Identifier: GPL-2.0
/*
 * The set of sinks a run writes to. Files are written under a temporary
 * name in the target directory and renamed when the run ends, so a
 * reader never sees a half-written result file, nor a set (STEM.jsonl
 * and STEM.csv) whose files come from different runs or of which one
 * file is missing: the stem is locked for the run (lock.c), and the
 * files are published all or none.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/xalloc.h"
#include "out/record.h"
#include "kernel/restore.h"
#include "out/sink/sink.h"

#define SINK(id) extern const struct sink_ops sink_##id;
#include "out/sink/list.h"
#undef SINK

static const struct sink_ops *const sink_list[] = {
#define SINK(id) &sink_##id,
#include "out/sink/list.h"
#undef SINK
};

#define NSINKS (sizeof(sink_list) / sizeof(sink_list[0]))

bool sink_opts_chose(const struct sink_opts *o, const char *name)
{
	for (size_t i = 0; i < NSINKS; i++)
		if (!strcmp(sink_list[i]->name, name))
			return o->formats & (1u << i);
	return false;
}

void sink_opts_default(struct sink_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->formats = 1u << 0; /* human */
}

/* "invalid format 'x': expected human, csv, json or ktap", from the list. */
static void format_error(const char *bad, char *err, size_t errlen)
{
	int n = snprintf(err, errlen, "invalid format '%s': expected ", bad);

	for (size_t i = 0; i < NSINKS && n > 0 && (size_t)n < errlen; i++)
		n += snprintf(err + n, errlen - (size_t)n, "%s%s",
			      i == 0	      ? "" :
			      i + 1 == NSINKS ? " or " :
						", ",
			      sink_list[i]->name);
}

static int set_format(void *owner, const char *arg, char *err, size_t errlen)
{
	struct sink_opts *o = owner;
	char *dup = xstrdup(arg), *save = NULL, *tok;
	unsigned bits = 0;

	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < NSINKS; i++)
			if (!strcmp(tok, sink_list[i]->name) ||
			    (!strcmp(tok, "jsonl") &&
			     !strcmp(sink_list[i]->name, "json")))
				break;
		if (i == NSINKS) {
			format_error(tok, err, errlen);
			free(dup);
			return -1;
		}
		bits |= 1u << i;
	}
	free(dup);
	if (!bits) {
		format_error(arg, err, errlen);
		return -1;
	}
	o->formats = bits;
	o->formats_given = true;
	return 0;
}

static int set_out(void *owner, const char *arg, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen,
			 "invalid output '': expected a file name");
		return -1;
	}
	((struct sink_opts *)owner)->out = arg;
	return 0;
}

const struct opt sink_opt_table[] = {
	OPT_SET("format", 'f', "LIST",
		"human, csv, json (JSON Lines), ktap; several with commas",
		set_format),
	OPT_SET("output", 'o', "FILE",
		"write csv/json to FILE.csv / FILE.jsonl (atomically)",
		set_out),
	OPT_END,
};

static const char *ext_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	return dot && (!slash || dot > slash) ? dot : NULL;
}

/*
 * The formats to write: -o FILE.csv implies csv (and *implied names it),
 * a bare -o FILE implies both machine formats unless --format said
 * otherwise.
 */
static unsigned effective_formats(const struct sink_opts *o, size_t *stem_len,
				  int *implied)
{
	const char *ext = o->out ? ext_of(o->out) : NULL;
	unsigned f = o->formats;

	*implied = -1;
	*stem_len = o->out ? strlen(o->out) : 0;
	if (!o->out)
		return f;
	for (size_t i = 0; i < NSINKS; i++) {
		const char *se = sink_list[i]->ext;

		if (ext && se &&
		    (!strcmp(ext + 1, se) ||
		     (!strcmp(se, "jsonl") && !strcmp(ext, ".json")))) {
			*stem_len = (size_t)(ext - o->out);
			*implied = (int)i;
			return f | 1u << i;
		}
	}
	if (!o->formats_given)
		for (size_t i = 0; i < NSINKS; i++)
			if (sink_list[i]->ext &&
			    (o->every_file || !sink_list[i]->on_request))
				f |= 1u << i;
	return f;
}

/* path is the final name; the sink writes to a temporary beside it. */
static int open_file(struct sink *s, char *path, char *err, size_t errlen)
{
	int fd;

	s->path = path;
	s->tmp = xmalloc(strlen(path) + 16);
	sprintf(s->tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(s->tmp);
	/* mkstemp makes 0600; a result file is as readable as any other. */
	if (fd >= 0) {
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (fd < 0 || !(s->f = fdopen(fd, "w"))) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Gone if the process ends before sinks_close(), even by a signal. */
	return restore_remove(s->tmp, err, errlen) ? -1 : 0;
}

static char *file_name(const struct sink_opts *o, size_t stem_len,
		       const char *ext, bool implied)
{
	size_t len = stem_len + strlen(ext) + 2;
	char *p;

	if (implied)
		return xstrdup(o->out);
	p = xmalloc(len);
	snprintf(p, len, "%.*s.%s", (int)stem_len, o->out, ext);
	return p;
}

static void discard_tmp(struct sink_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->s[i].tmp) {
			if (set->s[i].f)
				fclose(set->s[i].f);
			restore_discard(set->s[i].tmp);
			free(set->s[i].tmp);
			free(set->s[i].path);
		}
	sink_unlock(&set->lock);
	memset(set, 0, sizeof(*set));
}

/* Does any format chosen write a file? */
static bool writes_a_file(unsigned f)
{
	for (size_t i = 0; i < NSINKS; i++)
		if (f & 1u << i && sink_list[i]->ext)
			return true;
	return false;
}

int sinks_open(const struct sink_opts *o, struct sink_set *set, char *err,
	       size_t errlen)
{
	size_t stem_len, to_stdout = 0;
	int implied;
	unsigned f = effective_formats(o, &stem_len, &implied);

	memset(set, 0, sizeof(*set));
	if (o->out && !writes_a_file(f)) {
		/* The table is only for a terminal; -o would be ignored. */
		snprintf(
			err, errlen,
			"invalid output '%s': --format human writes to standard output only; redirect it with >",
			o->out);
		return -1;
	}
	if (o->out &&
	    sink_lock(&set->lock, o->out, stem_len, o->out, err, errlen))
		return -1;
	for (size_t i = 0; i < NSINKS; i++) {
		struct sink *s;

		if (!(f & 1u << i))
			continue;
		s = &set->s[set->n++];
		s->ops = sink_list[i];
		s->view = o->view;
		if (!o->out || !s->ops->ext) {
			s->f = stdout;
			to_stdout++;
			continue;
		}
		/* A given extension names one file; the others get the stem. */
		if (open_file(s,
			      file_name(o, stem_len, s->ops->ext,
					(int)i == implied),
			      err, errlen))
			goto fail;
	}
	if (to_stdout > 1) {
		snprintf(
			err, errlen,
			"only one format can go to standard output: name a file with -o");
		goto fail;
	}
	return 0;
fail:
	discard_tmp(set);
	return -1;
}

enum cell_verdict cell_verdict(json_object *rec)
{
	json_object *status, *as_expected;
	const char *st;

	if (!json_object_object_get_ex(rec, "status", &status) || !status)
		return CELL_SKIP;
	st = json_object_get_string(status);
	if (!strcmp(st, "unsupported"))
		return CELL_SKIP;
	if (!strcmp(st, "hung"))
		return CELL_FAIL;
	if (json_object_object_get_ex(rec, "as_expected", &as_expected) &&
	    as_expected && !json_object_get_boolean(as_expected))
		return CELL_FAIL;
	return CELL_PASS;
}

int sinks_exit_status(const struct sink_set *set)
{
	if (set->verdicts[CELL_FAIL])
		return EXIT_UNEXPECTED;
	if (set->cells && set->verdicts[CELL_SKIP] == set->cells)
		return EXIT_SKIP;
	return 0;
}

int sinks_write(struct sink_set *set, json_object *rec)
{
	int rc = 0;

	set->cells++;
	set->verdicts[cell_verdict(rec)]++;

	for (size_t i = 0; i < set->n; i++) {
		struct sink *s = &set->s[i];

		errno = 0;
		/* A person or a pipe reading stdout sees each row at once. */
		if (s->ops->write(s, rec) ||
		    (s->f == stdout && fflush(stdout)) || ferror(s->f)) {
			if (!s->err)
				s->err = errno ? errno : EIO;
			rc = -1;
		}
		s->rows++;
	}
	return rc;
}

/*
 * Everything written, and on its way to the disk? stdio keeps a failed
 * write's error in the stream but may drop the buffer, after which
 * fflush and fclose succeed: a full disk published a truncated file
 * that way. The first error seen is the one reported.
 */
static int sink_flush(struct sink *s)
{
	errno = 0;
	if ((fflush(s->f) || ferror(s->f)) && !s->err)
		s->err = errno ? errno : EIO;
	if (!s->err && s->tmp && fsync(fileno(s->f)))
		s->err = errno;
	return s->err ? -1 : 0;
}

/* A name a file can be published under: none there, or not a folder
 * (an exchange with a folder would succeed, and put it in our place). */
static int publishable(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : errno;
	return S_ISDIR(st.st_mode) ? EISDIR : 0;
}

/*
 * Rename every file into place, or undo the ones done. Exchanging the
 * names keeps an older file under the temporary name, so undoing puts
 * it back; on a file system without RENAME_EXCHANGE a plain rename
 * replaces it and that one cannot be undone. Signals wait meanwhile so
 * that a Ctrl-C does not leave half a set. Returns the sink that
 * failed, NULL when all are published.
 */
static struct sink *publish(struct sink_set *set)
{
	struct sink *bad = NULL;
	sigset_t all, old;
	size_t i;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < set->n && !bad; i++) {
		struct sink *s = &set->s[i];

		if (!s->tmp)
			continue;
		if (!renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->path,
			       RENAME_EXCHANGE))
			s->swapped = true;
		else if ((errno == ENOENT || errno == EINVAL) &&
			 !rename(s->tmp, s->path))
			continue;
		else {
			s->err = errno;
			bad = s;
		}
	}
	/* Undo, last published first. */
	for (i = bad ? (size_t)(bad - set->s) : 0; i-- > 0;) {
		struct sink *s = &set->s[i];

		if (!s->tmp)
			continue;
		if (s->swapped)
			renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->path,
				  RENAME_EXCHANGE);
		else
			rename(s->path, s->tmp);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return bad;
}

int sinks_close(struct sink_set *set)
{
	struct sink *bad = NULL;
	size_t files = 0;
	int rc = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct sink *s = &set->s[i];

		if (s->ops->end)
			s->ops->end(s);
		if (!s->tmp) {
			if (sink_flush(s)) {
				fprintf(stderr,
					"mrbench: cannot write to standard output: %s\n",
					strerror(s->err));
				rc = -1;
			}
			continue;
		}
		/* A file whose writes failed is never published. */
		files++;
		sink_flush(s);
		if (fclose(s->f) && !s->err)
			s->err = errno;
		s->f = NULL;
		if (!s->err)
			s->err = publishable(s->path);
		if (s->err && !bad)
			bad = s;
	}
	/* Only when every file of the set is whole is any published. */
	if (!bad && files)
		bad = publish(set);
	if (bad) {
		fprintf(stderr, "mrbench: cannot write '%s': %s%s\n", bad->path,
			strerror(bad->err),
			files > 1 ? "; no file of the set is published" : "");
		rc = -1;
	}
	for (size_t i = 0; i < set->n; i++) {
		struct sink *s = &set->s[i];

		if (!s->tmp)
			continue;
		/* The unpublished file, the older one it replaced, or no
		 * file any more. */
		restore_discard(s->tmp);
		free(s->tmp);
		free(s->path);
	}
	sink_unlock(&set->lock);
	memset(set, 0, sizeof(*set));
	return rc;
}

static void flatten_into(json_object *flat, const char *prefix, json_object *o)
{
	char key[256];

	json_object_object_foreach(o, k, v)
	{
		if (!*prefix && !strcmp(k, RECORD_SAMPLES))
			continue;
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "_" : "",
			 k);
		if (json_object_is_type(v, json_type_object))
			flatten_into(flat, key, v);
		else
			json_object_object_add(flat, key, json_object_get(v));
	}
}

json_object *sink_flatten(json_object *rec)
{
	json_object *flat = json_object_new_object();

	flatten_into(flat, "", rec);
	return flat;
}
