// SPDX-License-Identifier: GPL-2.0
/* Aligned text and Markdown tables of strings. */
#include <stdlib.h>
#include <string.h>

#include "cli/xalloc.h"
#include "out/table.h"

void table_init(struct table *t, const char *const *cols)
{
	memset(t, 0, sizeof(*t));
	for (; cols[t->ncols] && t->ncols < TABLE_MAX_COLS; t->ncols++) {
		const char *c = cols[t->ncols];

		for (;; c++) {
			if (*c == '>')
				t->right[t->ncols] = true;
			else if (*c == '?')
				t->optional[t->ncols] = true;
			else
				break;
		}
		t->head[t->ncols] = c;
	}
}

int table_add(struct table *t, const char *const *row)
{
	char **cells;

	if (t->nrows == t->cap) {
		size_t want = t->cap ? t->cap * 2 : 64;

		t->cells = xrealloc(t->cells, want * t->ncols * sizeof(*cells));
		t->cap = want;
	}
	cells = t->cells + t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++)
		cells[c] = xstrdup(row[c] ? row[c] : "");
	t->nrows++;
	return 0;
}

static bool shown(const struct table *t, size_t c)
{
	if (!t->optional[c])
		return true;
	for (size_t r = 0; r < t->nrows; r++)
		if (*t->cells[r * t->ncols + c])
			return true;
	return false;
}

/* Pipes inside a Markdown cell would end it. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
}

static void print_md(const struct table *t, FILE *f, const bool *show)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (show[c])
			fprintf(f, "| %s ", t->head[c]);
	fputs("|\n", f);
	for (size_t c = 0; c < t->ncols; c++)
		if (show[c])
			fputs(t->right[c] ? "|---:" : "|---", f);
	fputs("|\n", f);
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (!show[c])
				continue;
			fputs("| ", f);
			md_cell(f, t->cells[r * t->ncols + c]);
			fputc(' ', f);
		}
		fputs("|\n", f);
	}
}

void table_print(const struct table *t, FILE *f, bool markdown)
{
	size_t width[TABLE_MAX_COLS], last = 0;
	bool show[TABLE_MAX_COLS];

	for (size_t c = 0; c < t->ncols; c++) {
		show[c] = shown(t, c);
		width[c] = strlen(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = strlen(t->cells[r * t->ncols + c]);

			width[c] = w > width[c] ? w : width[c];
		}
		if (show[c])
			last = c;
	}
	if (markdown) {
		print_md(t, f, show);
		return;
	}
	for (size_t r = 0; r <= t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->ncols + c] :
					    t->head[c];

			if (!show[c])
				continue;
			/* No trailing blanks after the last column. */
			if (c == last && !t->right[c])
				fprintf(f, "%s", s);
			else
				fprintf(f, t->right[c] ? "%*s" : "%-*s",
					(int)width[c], s);
			if (c != last)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
