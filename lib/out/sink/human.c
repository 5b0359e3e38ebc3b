// SPDX-License-Identifier: GPL-2.0
/*
 * The table a person reads, in the columns the bench declares (its
 * view): one aligned row per record, printed as its cell ends, or, when
 * the view groups rows into sections, all of them at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "out/sink/sink.h"

#define HUMAN_MORE 4

struct human_state {
	json_object *held; /* flattened rows waiting for the end */
	/* ... and those of the further tables (view->more) */
	json_object *more[HUMAN_MORE];
};

/* Rows the further tables show: the records that have their key. */
static void hold_more(struct human_state *st, const struct view *v,
		      json_object *flat)
{
	json_object *x;
	int k = 0;

	for (v = v->more; v && k < HUMAN_MORE; v = v->more, k++) {
		if (!json_object_object_get_ex(flat, v->only, &x) || !x)
			continue;
		if (!st->more[k])
			st->more[k] = json_object_new_array();
		json_object_array_add(st->more[k], json_object_get(flat));
	}
}

static void put_row(FILE *f, const struct view *v, json_object *flat)
{
	char cell[400];

	for (const struct column *c = v->cols; c->head; c++) {
		const char *text = cell;

		if (flat)
			view_cell(c, flat, cell, sizeof(cell));
		else
			text = c->head;
		if (c != v->cols)
			fputs(c->width ? " " : "  ", f);
		if (c->width)
			fprintf(f, "%*s", c->width, text);
		else
			fputs(text, f);
	}
	fputc('\n', f);
}

static struct human_state *state(struct sink *s, json_object *first)
{
	struct human_state *st = s->priv;

	if (st)
		return st;
	st = s->priv = xcalloc(1, sizeof(*st));
	if (s->view->title)
		s->view->title(s->f, first);
	return st;
}

static int human_write(struct sink *s, json_object *rec)
{
	struct human_state *st;
	json_object *flat;

	if (!s->view)
		return 0;
	flat = sink_flatten(rec);
	if (!(st = state(s, flat))) {
		json_object_put(flat);
		return -1;
	}
	hold_more(st, s->view, flat);
	if (s->view->section) {
		if (!st->held)
			st->held = json_object_new_array();
		json_object_array_add(st->held, flat);
		return 0;
	}
	if (!s->rows)
		put_row(s->f, s->view, NULL);
	put_row(s->f, s->view, flat);
	json_object_put(flat);
	return 0;
}

/* Each section in the order first seen: its heading, then its rows. */
static void put_sections(FILE *f, const struct view *v, json_object *rows)
{
	size_t n = json_object_array_length(rows);
	char *done = xcalloc(n ? n : 1, 1), name[256], other[256];

	for (size_t i = 0; done && i < n; i++) {
		if (done[i])
			continue;
		v->section(json_object_array_get_idx(rows, i), name,
			   sizeof(name));
		fprintf(f, "\n%s\n", name);
		put_row(f, v, NULL);
		for (size_t j = i; j < n; j++) {
			json_object *row = json_object_array_get_idx(rows, j);

			if (done[j])
				continue;
			v->section(row, other, sizeof(other));
			if (strcmp(name, other))
				continue;
			put_row(f, v, row);
			done[j] = 1;
		}
	}
	free(done);
}

static void put_more(FILE *f, struct human_state *st, const struct view *v)
{
	int k = 0;

	for (v = v->more; v && k < HUMAN_MORE; v = v->more, k++) {
		json_object *rows = st->more[k];

		if (!rows)
			continue;
		fprintf(f, "\n%s\n", v->heading);
		put_row(f, v, NULL);
		for (size_t i = 0; i < json_object_array_length(rows); i++)
			put_row(f, v, json_object_array_get_idx(rows, i));
		json_object_put(rows);
	}
}

static void human_end(struct sink *s)
{
	struct human_state *st = s->priv;

	if (!st)
		return;
	if (st->held)
		put_sections(s->f, s->view, st->held);
	json_object_put(st->held);
	put_more(s->f, st, s->view);
	free(st);
	s->priv = NULL;
}

const struct sink_ops sink_human = {
	.name = "human",
	.write = human_write,
	.end = human_end,
};
