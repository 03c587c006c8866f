/* figspec: the four shipped specs, every directive and attribute type,
 * defaults, placeholders, line syntax, and the exact error messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"
#include "config.h"
#include "dataset.h"
#include "diag.h"
#include "figspec.h"

/* ------------------------------------------------------------ helpers */

/* Parses `text` as "t.fig"; fails the test on any message. */
static struct fig_spec *
parse_ok(const char *text)
{
	capture();
	struct fig_spec *spec = fig_spec_parse("t.fig", text, strlen(text));
	char *got = captured();

	if (got[0] != '\0' || spec == NULL) {
		print_error("input:\n%s\n--- messages\n%s---\n", text, got);
		free(got);
		fig_spec_free(spec);
		fail();
	}
	free(got);
	return spec;
}

/* Parses `text` as "t.fig" and compares every message with `want`. */
static void
assert_diags(const char *text, const char *want)
{
	capture();
	struct fig_spec *spec = fig_spec_parse("t.fig", text, strlen(text));
	char *got = captured();

	if (strcmp(got, want) != 0) {
		print_error("input:\n%s\n--- want\n%s--- got\n%s---\n", text, want, got);
		free(got);
		fig_spec_free(spec);
		fail();
	}
	free(got);
	assert_null(spec);
}

static struct fig_spec *
load_ok(const char *path)
{
	capture();
	struct fig_spec *spec = fig_spec_load(path);
	char *got = captured();

	if (got[0] != '\0' || spec == NULL) {
		print_error("%s:\n%s", path, got);
		free(got);
		fig_spec_free(spec);
		fail();
	}
	free(got);
	return spec;
}

static const struct fig_panel *
panel_at(const struct fig_spec *spec, int row, int col)
{
	for (size_t i = 0; i < spec->npanels; i++)
		if (spec->panels[i].row == row && spec->panels[i].col == col)
			return &spec->panels[i];
	fail_msg("no panel at row %d, col %d", row, col);
	return NULL;
}

#define assert_str(a, b) assert_string_equal((a) ? (a) : "(null)", (b))
#define assert_num(n, v) assert_float_equal((n).value, (v), 0)

/* ------------------------------------------------------------ shipped specs */

static void
test_fig1(void **state)
{
	(void)state;
	struct fig_spec *s = load_ok("figures/fig1.fig");

	assert_str(s->name, "fig1");
	assert_str(s->path, "figures/fig1.fig");
	assert_int_equal(s->rows, 1);
	assert_int_equal(s->cols, 3);
	assert_float_equal(s->width_in, 15, 0);
	assert_float_equal(s->height_in, 5, 0);
	assert_float_equal(s->print_height_in, 5.5, 0);
	assert_non_null(s->caption.text);
	assert_int_equal(s->npanels, 3);

	const struct fig_panel *a = panel_at(s, 0, 0), *b = panel_at(s, 0, 1), *c = panel_at(s, 0, 2);
	assert_str(a->id, "a");
	assert_str(a->title.text, "原始数据分布");
	assert_str(a->xlabel.text, "X₁");
	assert_str(a->ylabel.text, "X₂");
	assert_true(a->colorbar);
	assert_false(a->xmin.set);
	assert_int_equal(a->legend, FIG_LEGEND_NONE);
	assert_int_equal(a->nseries, 1);
	const struct fig_series *sc = &a->series[0];
	assert_int_equal(sc->kind, FIG_SCATTER);
	assert_str(sc->data.dataset, "moons");
	assert_null(sc->data.where_column);
	assert_str(sc->x, "x1");
	assert_str(sc->y, "x2");
	assert_str(sc->c, "label");
	assert_str(sc->cmap, "viridis");
	assert_num(sc->alpha, 0.7);
	assert_num(sc->size, 36);
	assert_int_equal(sc->zorder, 1);

	/* (b) and (c): limits are the grid box, contours under... above the points */
	const char *lim[4] = {"grid.x_min", "grid.x_max", "grid.y_min", "grid.y_max"};
	for (int k = 0; k < 2; k++) {
		const struct fig_panel *p = k == 0 ? b : c;
		const struct fig_number *n[4] = {&p->xmin, &p->xmax, &p->ymin, &p->ymax};

		for (int j = 0; j < 4; j++) {
			assert_true(n[j]->set);
			assert_str(n[j]->ref, lim[j]);
		}
		assert_false(p->colorbar);
	}
	assert_int_equal(b->nseries, 2);
	assert_int_equal(b->series[0].kind, FIG_CONTOUR);
	assert_str(b->series[0].data.dataset, "contours");
	assert_str(b->series[0].data.where_column, "name");
	assert_str(b->series[0].data.where_value, "boundary");
	assert_str(b->series[0].color, "red");
	assert_num(b->series[0].linewidth, 2);
	assert_int_equal(b->series[0].zorder, 2);
	assert_int_equal(b->series[1].kind, FIG_SCATTER);

	assert_int_equal(c->nseries, 3);
	assert_str(c->series[0].data.where_value, "kde0");
	assert_str(c->series[0].color, "blue");
	assert_num(c->series[0].alpha, 0.6);
	assert_num(c->series[0].linewidth, 1.5);
	assert_str(c->series[1].data.where_value, "kde1");
	assert_str(c->series[1].color, "orange");
	assert_num(c->series[1].alpha, 0.6);
	assert_int_equal(c->series[2].kind, FIG_SCATTER);
	assert_str(c->title.text, "生成模型：学习数据分布");
	fig_spec_free(s);
}

static void
test_fig2(void **state)
{
	(void)state;
	struct fig_spec *s = load_ok("figures/fig2.fig");

	assert_int_equal(s->rows, 2);
	assert_int_equal(s->cols, 2);
	assert_float_equal(s->width_in, 12, 0);
	assert_float_equal(s->height_in, 10, 0);
	assert_float_equal(s->print_height_in, 10, 0); /* printed at its aspect */
	assert_int_equal(s->npanels, 4);
	for (size_t i = 0; i < s->npanels; i++) {
		assert_true(s->panels[i].grid);
		assert_num(s->panels[i].grid_alpha, 0.3);
		assert_int_equal(s->panels[i].legend, FIG_LEGEND_BEST);
	}

	const struct fig_panel *a = panel_at(s, 0, 0);
	assert_str(a->title.text, "先验分布 p(z)");
	assert_str(a->ylabel.text, "密度");
	assert_int_equal(a->nseries, 2);
	assert_int_equal(a->series[0].kind, FIG_LINE);
	assert_str(a->series[0].data.dataset, "elbo");
	assert_str(a->series[0].y, "p_z");
	assert_str(a->series[0].color, "blue");
	assert_num(a->series[0].linewidth, 2);
	assert_str(a->series[0].label.text, "p(z) = N({{prior.mean|%g}},{{prior.std|%g}})");
	assert_int_equal(a->series[1].kind, FIG_FILL);
	assert_str(a->series[1].color, "C0");
	assert_num(a->series[1].alpha, 0.3);
	assert_null(a->series[1].label.text);
	assert_null(a->series[1].y2);

	const struct fig_panel *b = panel_at(s, 0, 1);
	assert_int_equal(b->nseries, 4);
	assert_num(b->series[0].alpha, 0.7);
	assert_str(b->series[1].y, "q_z");
	assert_str(b->series[1].label.text,
	    "q(z|x) = N({{posterior.q_mean}},{{posterior.q_std}}²)");
	assert_str(b->series[3].color, "red");

	const struct fig_panel *c = panel_at(s, 1, 0);
	assert_str(c->ylabel.text, "KL(q(z|x)||p(z))");
	assert_int_equal(c->nseries, 2);
	assert_str(c->series[0].data.dataset, "kl_curve");
	assert_null(c->series[0].label.text);
	const struct fig_series *v = &c->series[1];
	assert_int_equal(v->kind, FIG_VLINE);
	assert_true(v->at.set);
	assert_str(v->at.ref, "posterior.q_mean");
	assert_int_equal(v->linestyle, FIG_DASHED);
	assert_num(v->alpha, 0.7);
	assert_str(v->label.text, "当前均值={{posterior.q_mean}}");

	const struct fig_panel *d = panel_at(s, 1, 1);
	assert_int_equal(d->xscale, FIG_SCALE_LOG);
	assert_int_equal(d->yscale, FIG_SCALE_LINEAR);
	assert_str(d->title.text, "β-VAE: 重构与正则化权衡");
	assert_int_equal(d->nseries, 3);
	assert_str(d->series[0].y, "reconstruction");
	assert_str(d->series[1].y, "beta_kl");
	assert_str(d->series[1].label.text, "β×KL项");
	assert_str(d->series[2].y, "elbo");
	assert_str(d->series[2].color, "green");
	fig_spec_free(s);
}

static void
test_fig3(void **state)
{
	(void)state;
	struct fig_spec *s = load_ok("figures/fig3.fig");

	assert_int_equal(s->rows, 1);
	assert_int_equal(s->cols, 3);
	assert_float_equal(s->height_in, 5, 0);
	assert_float_equal(s->print_height_in, 6.5, 0);
	assert_int_equal(s->npanels, 3);

	const struct fig_panel *a = panel_at(s, 0, 0), *b = panel_at(s, 0, 1), *c = panel_at(s, 0, 2);
	assert_str(a->title.text, "原始采样方式\nz ~ N(μ, σ²)");
	assert_str(b->title.text, "重参数化采样\nz = μ + σ ⊙ ε");
	const struct fig_panel *hist[2] = {a, b};
	const char *which[2] = {"original", "reparam"}, *color[2] = {"blue", "green"};
	const char *label[2] = {"采样点", "重参数化采样"};
	for (int k = 0; k < 2; k++) {
		const struct fig_panel *p = hist[k];

		assert_int_equal(p->nseries, 2);
		assert_int_equal(p->legend, FIG_LEGEND_BEST);
		assert_int_equal(p->series[0].kind, FIG_BARS);
		assert_str(p->series[0].data.dataset, "histograms");
		assert_str(p->series[0].data.where_column, "name");
		assert_str(p->series[0].data.where_value, which[k]);
		assert_str(p->series[0].left, "left");
		assert_str(p->series[0].right, "right");
		assert_str(p->series[0].height, "density");
		assert_str(p->series[0].color, color[k]);
		assert_num(p->series[0].alpha, 0.7);
		assert_str(p->series[0].label.text, label[k]);
		assert_int_equal(p->series[1].kind, FIG_LINE);
		assert_str(p->series[1].data.dataset, "reparam_pdf");
		assert_str(p->series[1].x, "x");
		assert_str(p->series[1].y, "pdf");
		assert_str(p->series[1].color, "red");
		assert_str(p->series[1].label.text, "N({{reparam.mu}}, {{reparam.sigma}}²)");
	}

	assert_true(c->axis_off);
	assert_false(c->grid);
	assert_str(c->title.text, "计算图比较");
	assert_int_equal(c->nseries, 6);
	const double ys[6] = {0.8, 0.7, 0.6, 0.4, 0.3, 0.2}, sizes[6] = {14, 12, 12, 14, 12, 12};
	for (int i = 0; i < 6; i++) {
		const struct fig_series *t = &c->series[i];

		assert_int_equal(t->kind, FIG_TEXT);
		assert_num(t->at, 0.1);
		assert_num(t->at_y, ys[i]);
		assert_null(t->at.ref);
		assert_num(t->size, sizes[i]);
		assert_int_equal(t->bold, i == 0 || i == 3);
		assert_int_equal(t->zorder, 3);
	}
	assert_str(c->series[0].text.text, "原始方式:");
	assert_str(c->series[1].text.text, "μ, σ → 采样 → z");
	assert_str(c->series[1].box, "round");
	assert_num(c->series[1].box_pad, 0.3);
	assert_str(c->series[1].box_color, "lightblue");
	assert_str(c->series[2].text.text, "❌ 采样操作不可微");
	assert_str(c->series[2].color, "red");
	assert_null(c->series[2].box);
	assert_str(c->series[4].text.text, "μ, σ ← ε → z = μ + σε");
	assert_str(c->series[4].box_color, "lightgreen");
	assert_str(c->series[5].text.text, "✓ 所有操作可微");
	assert_str(c->series[5].color, "green");
	fig_spec_free(s);
}

static void
test_fig4(void **state)
{
	(void)state;
	struct fig_spec *s = load_ok("figures/fig4.fig");
	const char *stage[3] = {"initial", "training", "converged"};
	const char *title[3] = {"初始阶段", "训练中阶段", "收敛阶段"};
	char buf[64];

	assert_int_equal(s->rows, 2);
	assert_int_equal(s->cols, 3);
	assert_float_equal(s->width_in, 15, 0);
	assert_float_equal(s->height_in, 10, 0);
	assert_int_equal(s->npanels, 6);
	for (int i = 0; i < 3; i++) {
		const struct fig_panel *top = panel_at(s, 0, i), *bot = panel_at(s, 1, i);

		assert_str(top->title.text, title[i]);
		assert_str(top->xlabel.text, "x");
		assert_str(top->ylabel.text, "密度");
		assert_true(top->grid);
		assert_int_equal(top->legend, FIG_LEGEND_BEST);
		assert_int_equal(top->nseries, 4);
		assert_str(top->series[0].y, "p_data");
		assert_str(top->series[0].color, "blue");
		assert_str(top->series[0].label.text, "真实数据 p_data");
		snprintf(buf, sizeof buf, "p_g_%s", stage[i]);
		assert_str(top->series[1].y, buf);
		assert_str(top->series[1].color, "red");
		assert_str(top->series[1].label.text, "生成数据 p_g");
		assert_int_equal(top->series[2].kind, FIG_FILL);
		assert_str(top->series[3].y, buf);
		assert_num(top->series[3].alpha, 0.3);

		snprintf(buf, sizeof buf, "%s判别器", title[i]);
		assert_str(bot->title.text, buf);
		assert_str(bot->ylabel.text, "D(x)");
		assert_true(bot->ymin.set && bot->ymax.set);
		assert_null(bot->ymin.ref);
		assert_num(bot->ymin, 0);
		assert_num(bot->ymax, 1);
		assert_false(bot->xmin.set);
		assert_int_equal(bot->nseries, 3);
		snprintf(buf, sizeof buf, "d_%s", stage[i]);
		assert_str(bot->series[0].y, buf);
		assert_str(bot->series[0].label.text, "D*(x)");
		assert_int_equal(bot->series[1].kind, FIG_HLINE);
		assert_num(bot->series[1].at, 0.5);
		assert_str(bot->series[1].color, "black");
		assert_int_equal(bot->series[1].linestyle, FIG_DASHED);
		assert_str(bot->series[1].label.text, "理想值 0.5");
		assert_str(bot->series[2].color, "green");
	}
	fig_spec_free(s);
}

/* Every dataset, column, row selection and placeholder of the shipped specs
 * exists with the default configuration (plot.c reports them otherwise, but
 * only when the figure is drawn). */

static bool
is_config_key(const struct report_config *cfg, const char *name)
{
	struct config_key_info info;

	for (int i = 0; i < config_key_count(); i++) {
		config_key_info(i, cfg, NULL, &info);
		if (strcmp(info.name, name) == 0)
			return true;
	}
	return false;
}

static void
assert_name_known(const struct registry *reg, const struct report_config *cfg, const char *name,
    const char *where)
{
	if (!is_config_key(cfg, name) && registry_result(reg, name) == NULL)
		fail_msg("%s: '%s' is neither a config key nor a result", where, name);
}

static void
assert_placeholders_known(const struct registry *reg, const struct report_config *cfg,
    const struct fig_text *t)
{
	char name[128];

	if (t->text == NULL)
		return;
	for (const char *p = strstr(t->text, "{{"); p != NULL; p = strstr(p, "{{")) {
		size_t n = strcspn(p + 2, "|}");

		assert_true(n < sizeof name);
		memcpy(name, p + 2, n);
		name[n] = '\0';
		assert_name_known(reg, cfg, name, t->loc.file);
		p += 2 + n;
	}
}

static void
assert_column(const struct dataset *ds, const char *col, const struct fig_series *s)
{
	if (col != NULL && dataset_column(ds, col) == NULL)
		fail_msg("%s:%d: dataset '%s' has no column '%s'", s->loc.file, s->loc.line, ds->name,
		    col);
}

static void
test_bindings(void **state)
{
	(void)state;
	struct report_config cfg;
	const char *files[4] = {"figures/fig1.fig", "figures/fig2.fig", "figures/fig3.fig",
		"figures/fig4.fig"};

	config_defaults(&cfg);
	struct registry *reg = compute_all(&cfg);
	assert_non_null(reg);
	for (int f = 0; f < 4; f++) {
		struct fig_spec *spec = load_ok(files[f]);

		assert_placeholders_known(reg, &cfg, &spec->caption);
		for (size_t i = 0; i < spec->npanels; i++) {
			const struct fig_panel *p = &spec->panels[i];
			const struct fig_number *lim[4] = {&p->xmin, &p->xmax, &p->ymin, &p->ymax};

			for (int k = 0; k < 4; k++)
				if (lim[k]->ref != NULL)
					assert_name_known(reg, &cfg, lim[k]->ref, files[f]);
			assert_placeholders_known(reg, &cfg, &p->title);
			assert_placeholders_known(reg, &cfg, &p->xlabel);
			assert_placeholders_known(reg, &cfg, &p->ylabel);
			for (size_t j = 0; j < p->nseries; j++) {
				const struct fig_series *s = &p->series[j];

				assert_placeholders_known(reg, &cfg, &s->label);
				assert_placeholders_known(reg, &cfg, &s->text);
				if (s->at.ref != NULL)
					assert_name_known(reg, &cfg, s->at.ref, files[f]);
				if (s->data.dataset == NULL)
					continue;
				const struct dataset *ds = registry_dataset(reg, s->data.dataset);
				if (ds == NULL)
					fail_msg("%s:%d: no dataset '%s'", s->loc.file, s->loc.line,
					    s->data.dataset);
				assert_column(ds, s->x, s);
				assert_column(ds, s->y, s);
				assert_column(ds, s->y2, s);
				assert_column(ds, s->c, s);
				assert_column(ds, s->left, s);
				assert_column(ds, s->right, s);
				assert_column(ds, s->height, s);
				if (s->kind == FIG_CONTOUR) {
					assert_column(ds, "x", s);
					assert_column(ds, "y", s);
				}
				if (s->data.where_column != NULL) {
					const struct column *c = dataset_column(ds, s->data.where_column);
					size_t rows = 0;

					assert_non_null(c);
					assert_int_equal(c->type, COLUMN_TEXT);
					for (size_t r = 0; r < ds->nrows; r++)
						rows += strcmp(c->text[r], s->data.where_value) == 0;
					if (rows == 0)
						fail_msg("%s:%d: no row of '%s' has %s = '%s'", s->loc.file,
						    s->loc.line, ds->name, s->data.where_column,
						    s->data.where_value);
				}
			}
		}
		fig_spec_free(spec);
	}
	registry_free(reg);
}

/* ------------------------------------------------------------ every directive */

static void
test_every_attribute(void **state)
{
	(void)state;
	struct fig_spec *s = parse_ok(
	    "figure rows=2 cols=2 width=8.5 height=6 print_height=7.25 "
	    "caption=\"图 {{kl.at_mean|%.3f}}\"\n"
	    "panel id=main row=1 col=1 title=\"T\" xlabel=\"X\" ylabel=Y xmin=-1e-1 xmax=+2.5 "
	    "ymin={{a.b}} ymax=.5 xscale=linear yscale=log grid=false grid_alpha=0 axis=on\n"
	    "line data=d where=k:v x=a y=b color=\"#1f77b4\" linewidth=0 linestyle=-. alpha=1 "
	    "marker=s label=L zorder=-4\n"
	    "fill data=d x=a y=b y2=c color=C1 alpha=0.25 label=F zorder=7\n"
	    "scatter data=d x=a y=b c=z cmap=plasma vmin=0 vmax={{v.max}} color=k size=12.5 "
	    "alpha=0.5 marker=D label=S zorder=0\n"
	    "colorbar label=\"值\"\n"
	    "contour data=contours where=name:kde0 color=blue linewidth=3 linestyle=dotted "
	    "alpha=0.1 label=C zorder=9\n"
	    "bars data=h where=name:x:y left=l right=r height=h color=g edgecolor=none alpha=0.5 "
	    "label=B zorder=1\n"
	    "hline y=-3 color=k linewidth=1 linestyle=: alpha=0.2 label=H zorder=2\n"
	    "vline x={{q.m}} linestyle=dashdot\n"
	    "text x=0.5 y={{t.y}} text=\"a\\\"b\\\\c\\nd\" size=9 weight=normal color=red box=round "
	    "box_pad=0 box_color=white box_edge=gray zorder=4\n"
	    "legend loc=\"lower left\"\n");

	assert_float_equal(s->width_in, 8.5, 0);
	assert_float_equal(s->height_in, 6, 0);
	assert_float_equal(s->print_height_in, 7.25, 0);
	assert_str(s->caption.text, "图 {{kl.at_mean|%.3f}}");
	assert_int_equal(s->npanels, 1);
	const struct fig_panel *p = &s->panels[0];
	assert_str(p->id, "main");
	assert_int_equal(p->row, 1);
	assert_int_equal(p->col, 1);
	assert_num(p->xmin, -0.1);
	assert_num(p->xmax, 2.5);
	assert_str(p->ymin.ref, "a.b");
	assert_num(p->ymax, 0.5);
	assert_int_equal(p->yscale, FIG_SCALE_LOG);
	assert_false(p->grid);
	assert_true(p->grid_alpha.set);
	assert_num(p->grid_alpha, 0);
	assert_false(p->axis_off);
	assert_true(p->colorbar);
	assert_str(p->colorbar_label.text, "值");
	assert_int_equal(p->colorbar_at.line, 6);
	assert_int_equal(p->legend, FIG_LEGEND_LOWER_LEFT);
	assert_int_equal(p->legend_at.line, 12);
	assert_int_equal(p->nseries, 8);

	const struct fig_series *l = &p->series[0];
	assert_int_equal(l->kind, FIG_LINE);
	assert_str(l->data.where_column, "k");
	assert_str(l->data.where_value, "v");
	assert_str(l->color, "#1f77b4");
	assert_true(l->linewidth.set);
	assert_num(l->linewidth, 0);
	assert_int_equal(l->linestyle, FIG_DASHDOT);
	assert_str(l->marker, "s");
	assert_str(l->label.text, "L");
	assert_int_equal(l->zorder, -4);

	const struct fig_series *f = &p->series[1];
	assert_str(f->y2, "c");
	assert_num(f->alpha, 0.25);
	assert_int_equal(f->zorder, 7);

	const struct fig_series *sc = &p->series[2];
	assert_str(sc->c, "z");
	assert_str(sc->cmap, "plasma");
	assert_true(sc->vmin.set);
	assert_num(sc->vmin, 0);
	assert_str(sc->vmax.ref, "v.max");
	assert_num(sc->size, 12.5);
	assert_str(sc->marker, "D");
	assert_int_equal(sc->zorder, 0);

	const struct fig_series *ct = &p->series[3];
	assert_int_equal(ct->kind, FIG_CONTOUR);
	assert_int_equal(ct->linestyle, FIG_DOTTED);

	const struct fig_series *b = &p->series[4];
	assert_str(b->data.where_column, "name");
	assert_str(b->data.where_value, "x:y");
	assert_str(b->edgecolor, "none");

	const struct fig_series *h = &p->series[5];
	assert_int_equal(h->kind, FIG_HLINE);
	assert_num(h->at, -3);
	assert_int_equal(h->linestyle, FIG_DOTTED);

	const struct fig_series *v = &p->series[6];
	assert_int_equal(v->kind, FIG_VLINE);
	assert_str(v->at.ref, "q.m");
	assert_int_equal(v->linestyle, FIG_DASHDOT);

	const struct fig_series *t = &p->series[7];
	assert_str(t->text.text, "a\"b\\c\nd");
	assert_str(t->at_y.ref, "t.y");
	assert_false(t->bold);
	assert_str(t->box, "round");
	assert_true(t->box_pad.set);
	assert_num(t->box_pad, 0);
	assert_str(t->box_color, "white");
	assert_str(t->box_edge, "gray");
	fig_spec_free(s);
}

static void
test_defaults(void **state)
{
	(void)state;
	struct fig_spec *s = parse_ok("figure rows=1 cols=2 width=6 height=4\n"
	                              "panel row=0 col=1\n"
	                              "line data=d x=a y=b\n"
	                              "fill data=d x=a y=b\n"
	                              "scatter data=d x=a y=b\n"
	                              "bars data=d left=a right=b height=c\n"
	                              "text x=0 y=0 text=hi\n"
	                              "legend\n"
	                              "panel row=0 col=0\n");

	assert_null(s->caption.text);
	assert_float_equal(s->print_height_in, 4, 0); /* = height */
	assert_int_equal(s->npanels, 2);
	const struct fig_panel *p = &s->panels[0];
	assert_str(p->id, "b"); /* the cell's letter */
	assert_str(s->panels[1].id, "a");
	assert_null(p->title.text);
	assert_false(p->xmin.set);
	assert_false(p->grid);
	assert_false(p->grid_alpha.set);
	assert_num(p->grid_alpha, 0.3);
	assert_int_equal(p->xscale, FIG_SCALE_LINEAR);
	assert_int_equal(p->legend, FIG_LEGEND_BEST);
	assert_false(p->colorbar);
	assert_int_equal(s->panels[1].legend, FIG_LEGEND_NONE);

	const int zorder[5] = {2, 1, 1, 1, 3};
	for (int i = 0; i < 5; i++) {
		const struct fig_series *x = &p->series[i];

		assert_false(x->alpha.set);
		assert_num(x->alpha, 1);
		assert_false(x->linewidth.set);
		assert_num(x->linewidth, 1.5);
		assert_int_equal(x->linestyle, FIG_SOLID);
		assert_null(x->color);
		assert_null(x->label.text);
		assert_null(x->marker);
		assert_null(x->data.where_column);
		assert_int_equal(x->zorder, zorder[i]);
	}
	assert_num(p->series[2].size, 36);
	assert_num(p->series[4].size, 10);
	assert_false(p->series[4].bold);
	assert_num(p->series[4].box_pad, 0.3);
	assert_null(p->series[4].box);
	fig_spec_free(s);
}

static void
test_syntax(void **state)
{
	(void)state;
	/* a BOM, CRLF, comments, blank lines, continuations, tabs, '#' in quotes */
	const char text[] = "\xEF\xBB\xBF# comment\r\n"
	                    "\r\n"
	                    "figure rows=1 cols=1 \\\r\n"
	                    "\twidth=6 height=4 # trailing comment\n"
	                    "   panel row=0 col=0 title=\"a # b\"#c\n"
	                    "line data=d x=a \\\n"
	                    "  y=b \\\n"
	                    "  color=\"#ff0000\" label=\"x=1 \\\\\"";
	struct fig_spec *s = parse_ok(text);

	assert_int_equal(s->loc.line, 3);
	assert_int_equal(s->loc.col, 1);
	const struct fig_panel *p = &s->panels[0];
	assert_str(p->title.text, "a # b");
	assert_int_equal(p->loc.line, 5);
	assert_int_equal(p->loc.col, 4);
	assert_int_equal(p->title.loc.line, 5);
	assert_int_equal(p->title.loc.col, 28);
	const struct fig_series *l = &p->series[0];
	assert_str(l->y, "b");
	assert_str(l->color, "#ff0000");
	assert_str(l->label.text, "x=1 \\");
	assert_int_equal(l->loc.line, 6);

	/* Attribute locations for messages at plot time. */
	struct fig_loc loc = fig_series_attr_loc(l, "y");
	assert_str(loc.file, "t.fig");
	assert_int_equal(loc.line, 7);
	assert_int_equal(loc.col, 5);
	loc = fig_series_attr_loc(l, "color");
	assert_int_equal(loc.line, 8);
	assert_int_equal(loc.col, 9);
	loc = fig_series_attr_loc(l, "where"); /* not given: the directive's */
	assert_int_equal(loc.line, 6);
	assert_int_equal(loc.col, 1);
	assert_int_equal(l->data.loc.line, 6);
	assert_int_equal(l->data.loc.col, 11);
	fig_spec_free(s);

	/* A buffer that is not NUL-terminated. */
	const char raw[] = "figure rows=1 cols=1 width=6 height=4\npanel row=0 col=0 id=zzz";
	capture();
	s = fig_spec_parse("t.fig", raw, sizeof raw - 3);
	char *got = captured();
	assert_string_equal(got, "");
	free(got);
	assert_non_null(s);
	assert_str(s->panels[0].id, "z");
	fig_spec_free(s);
}

static void
test_placeholders(void **state)
{
	(void)state;
	struct fig_spec *s = parse_ok(
	    "figure rows=1 cols=1 width=6 height=4\n"
	    "panel row=0 col=0 xmin=\"{{grid.x_min}}\" xmax={{grid.x_max}} "
	    "title=\"{{a}} {{b.c|%.2f}} {{d_e.f0|%+08.3e}} {{g|%G}} {x} }}\"\n"
	    "vline x={{kde.levels.class0.0}}\n");
	const struct fig_panel *p = &s->panels[0];

	assert_true(p->xmin.set);
	assert_str(p->xmin.ref, "grid.x_min");
	assert_str(p->xmax.ref, "grid.x_max");
	assert_int_equal(p->xmin.loc.col, 24);
	/* Text keeps its placeholders for the plot engine to expand. */
	assert_str(p->title.text, "{{a}} {{b.c|%.2f}} {{d_e.f0|%+08.3e}} {{g|%G}} {x} }}");
	assert_str(p->series[0].at.ref, "kde.levels.class0.0");
	fig_spec_free(s);

	assert_diags("figure rows=1 cols=1 width=6 height=4\n"
	             "panel row=0 col=0 xmin={{}} xmax={{a}}{{b}} ymin=x{{a}} ymax={{a|%.1f}}\n"
	             "text x=0 y=0 text=\"{{a|%s}} {{a|%.2f%%}} {{a b}} {{a|%5.1f}} {{a..b}}\"\n"
	             "line data=d x=a y=b label=\"ok {{a}} then {{bad\"\n",
	    "t.fig:2:26: error: 'xmin': bad placeholder name '' (expected a config key or result "
	    "such as 'posterior.q_mean')\n"
	    "t.fig:2:34: error: 'xmax' expects a number or a {{placeholder}}, got '{{a}}{{b}}'\n"
	    "t.fig:2:50: error: 'ymin' expects a number or a {{placeholder}}, got 'x{{a}}'\n"
	    "t.fig:2:66: error: 'ymax': a number placeholder takes no format (formats apply to text)\n"
	    "t.fig:3:24: error: 'text': bad format '%s' in placeholder (one printf conversion for a "
	    "double, such as %.2f)\n"
	    "t.fig:3:33: error: 'text': bad format '%.2f%%' in placeholder (one printf conversion for "
	    "a double, such as %.2f)\n"
	    "t.fig:3:44: error: 'text': bad placeholder name 'a b' (expected a config key or result "
	    "such as 'posterior.q_mean')\n"
	    "t.fig:3:64: error: 'text': bad placeholder name 'a..b' (expected a config key or result "
	    "such as 'posterior.q_mean')\n"
	    "t.fig:4:42: error: 'label': unterminated placeholder (missing '}}')\n");
}

/* ------------------------------------------------------------ errors */

static const char head[] = "figure rows=1 cols=1 width=6 height=4\npanel row=0 col=0\n";

static void
assert_body_diags(const char *body, const char *want)
{
	char text[1024];

	snprintf(text, sizeof text, "%s%s", head, body);
	assert_diags(text, want);
}

static void
test_schema_errors(void **state)
{
	(void)state;
	assert_body_diags("line data=elbo x=z y=p_z colour=blue\n",
	    "t.fig:3:26: error: unknown attribute 'colour' for 'line'; did you mean 'color'?\n");
	assert_body_diags("line data=elbo x=z y=p_z ls=-- linewidths=2 fontsize=3 zz=1\n",
	    "t.fig:3:26: error: unknown attribute 'ls' for 'line'; did you mean 'linestyle'?\n"
	    "t.fig:3:32: error: unknown attribute 'linewidths' for 'line'; did you mean 'linewidth'?\n"
	    "t.fig:3:45: error: unknown attribute 'fontsize' for 'line'\n"
	    "t.fig:3:56: error: unknown attribute 'zz' for 'line'\n");
	assert_body_diags("txt x=0 y=0 text=a\nscater data=d x=a y=b\nplot data=d x=a y=b\n",
	    "t.fig:3:1: error: unknown directive 'txt'; did you mean 'text'?\n"
	    "t.fig:4:1: error: unknown directive 'scater'; did you mean 'scatter'?\n"
	    "t.fig:5:1: error: unknown directive 'plot'; did you mean 'line'?\n");
	assert_body_diags("fill data=d x=a\nbars data=d left=a\nhline\n",
	    "t.fig:3:1: error: 'fill' requires attribute 'y'\n"
	    "t.fig:4:1: error: 'bars' requires attribute 'right'\n"
	    "t.fig:4:1: error: 'bars' requires attribute 'height'\n"
	    "t.fig:5:1: error: 'hline' requires attribute 'y'\n");
	assert_body_diags("line data=d x=a y=b x=c alpha=0.5 alpha=x\n",
	    "t.fig:3:21: error: duplicate attribute 'x' (first given at 3:13)\n"
	    "t.fig:3:35: error: duplicate attribute 'alpha' (first given at 3:25)\n");
	assert_body_diags("line data=my-data x=1a y=\"\" color=\"\" label=\"\"\n",
	    "t.fig:3:11: error: 'data' expects a name (letters, digits and '_'), got 'my-data'\n"
	    "t.fig:3:21: error: 'x' expects a name (letters, digits and '_'), got '1a'\n"
	    "t.fig:3:26: error: 'y' expects a name (letters, digits and '_'), got ''\n"
	    "t.fig:3:35: error: 'color' expects a non-empty value, got ''\n");
	assert_body_diags("scatter data=d x=a y=b size=0 alpha=-0.1 vmin=1e999 zorder=99999999999\n",
	    "t.fig:3:29: error: 'size' = 0 is out of range (value > 0)\n"
	    "t.fig:3:37: error: 'alpha' = -0.1 is out of range (0 ≤ value ≤ 1)\n"
	    "t.fig:3:47: error: 'vmin' expects a number or a {{placeholder}}, got '1e999'\n"
	    "t.fig:3:60: error: 'zorder' expects an integer, got '99999999999'\n");
	assert_body_diags("line data=d x=a y=b linestyle=dash\nlegend loc=\"upper center\"\n",
	    "t.fig:3:31: error: 'linestyle' expects one of solid, dashed, dotted, dashdot, '-', '--', "
	    "':', '-.', got 'dash'\n"
	    "t.fig:4:12: error: 'loc' expects one of best, 'upper right', 'upper left', 'lower left', "
	    "'lower right', got 'upper center'\n");
	/* a bad value still counts as given: no "requires" on top */
	assert_body_diags("line data=d x=a y=\"b\n",
	    "t.fig:3:19: error: unterminated string (missing closing '\"')\n");
}

static void
test_structure_errors(void **state)
{
	(void)state;
	assert_diags("", "t.fig: error: no 'figure' line (the spec is empty)\n");
	assert_diags("# only a comment\n\n", "t.fig: error: no 'figure' line (the spec is empty)\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4\n",
	    "t.fig:1:1: error: the figure has no 'panel'\n");
	assert_diags("line data=d x=a y=b\npanel row=0 col=0\nfigure rows=1 cols=1 width=6 height=4 "
	             "rows=2\n",
	    "t.fig:1:1: error: 'line' before 'figure' (a spec starts with a 'figure' line)\n"
	    "t.fig:3:39: error: duplicate attribute 'rows' (first given at 3:8)\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4\nlegend\ncolorbar\npanel row=0 col=0\n"
	             "text x=0 y=0 text=a\n",
	    "t.fig:2:1: error: 'legend' before any 'panel' (series and decorations belong to the "
	    "panel above them)\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4 print_height=0\npanel row=0 col=0\n",
	    "t.fig:1:52: error: 'print_height' = 0 is out of range (value > 0)\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4 print_hieght=5\npanel row=0 col=0\n",
	    "t.fig:1:39: error: unknown attribute 'print_hieght' for 'figure'; did you mean "
	    "'print_height'?\n");
	assert_diags("figure rows=0 cols=13 width=0 height=-1\npanel row=-1 col=5\n",
	    "t.fig:1:13: error: 'rows' = 0 is out of range (1 ≤ value ≤ 12)\n"
	    "t.fig:1:20: error: 'cols' = 13 is out of range (1 ≤ value ≤ 12)\n"
	    "t.fig:1:29: error: 'width' = 0 is out of range (value > 0)\n"
	    "t.fig:1:38: error: 'height' = -1 is out of range (value > 0)\n"
	    "t.fig:2:11: error: 'row' = -1 is out of range (value ≥ 0)\n");
	assert_diags("figure rows=2 cols=3 width=6 height=4\n"
	             "panel row=1 col=3\npanel row=2 col=0\npanel row=1 col=2\npanel row=1 col=2\n"
	             "panel id=f row=0 col=0\n",
	    "t.fig:2:17: error: panel at row 1, col 3 is outside the 2×3 grid of 'figure' "
	    "(rows 0..1, cols 0..2)\n"
	    "t.fig:3:11: error: panel at row 2, col 0 is outside the 2×3 grid of 'figure' "
	    "(rows 0..1, cols 0..2)\n"
	    "t.fig:5:11: error: panel overlaps panel 'f' (line 4): both at row 1, col 2\n"
	    "t.fig:6:10: error: panel id 'f' is already used by the panel on line 4\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4\n"
	             "panel row=0 col=0 xmin=3 xmax=3 ymin=0 ymax=1 yscale=log\n"
	             "panel row=0 col=0 xscale=log xmax=-1\n",
	    "t.fig:2:31: error: 'xmin' = 3 must be less than 'xmax' = 3\n"
	    "t.fig:2:38: error: 'ymin' = 0 is out of range (value > 0 on a log axis)\n"
	    "t.fig:3:35: error: 'xmax' = -1 is out of range (value > 0 on a log axis)\n"
	    "t.fig:3:11: error: panel overlaps panel 'a' (line 2): both at row 0, col 0\n");
	assert_diags("figure rows=1 cols=1 width=6 height=4\npanel row=0 col=0\n"
	             "scatter data=d x=a y=b\ncolorbar\nscatter data=d x=a y=b c=k\ncolorbar\n"
	             "colorbar\nlegend\nlegend\n",
	    "t.fig:4:1: error: 'colorbar' needs a 'scatter' with c= above it in the panel\n"
	    "t.fig:7:1: error: duplicate 'colorbar' in panel 'a' (first on line 6)\n"
	    "t.fig:9:1: error: duplicate 'legend' in panel 'a' (first on line 8)\n");
	/* After a directive that could not be read, no cascade. */
	assert_diags("figure rows=1 cols=1 width=6 height=4\npanel row=0 col=0\nlegend\n"
	             "pannel row=0 col=0\nlegend\ncolorbar\n",
	    "t.fig:4:1: error: unknown directive 'pannel'; did you mean 'panel'?\n");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	assert_body_diags("line data=d x=a y=b label=\"p\"color=blue\n",
	    "t.fig:3:30: error: unexpected text after the closing quote\n");
	assert_body_diags("line data=d x=a y=b label=p\"q\"\n",
	    "t.fig:3:28: error: unexpected '\"' in an unquoted value (quote the whole value)\n");
	assert_body_diags("line data=d x=a y=b color=#fff\n",
	    "t.fig:3:27: error: missing value after 'color=' ('#' starts a comment: quote a hex "
	    "colour, color=\"#1f77b4\")\n");
	assert_body_diags("line data=d x=a y=b color= red\nline data=d x=a y=b color=\n",
	    "t.fig:3:27: error: missing value after 'color=' (no spaces around '=')\n"
	    "t.fig:4:27: error: missing value after 'color='\n");
	assert_body_diags("line data=d x = a y=b\n",
	    "t.fig:3:13: error: space before '=' after 'x' (write x=VALUE)\n");
	assert_body_diags("line data=d x=a y=b dashed\n",
	    "t.fig:3:21: error: expected attribute=value, got 'dashed'\n");
	assert_body_diags("line data=d x=a y=b =3\n",
	    "t.fig:3:21: error: expected attribute=value, got '=3'\n");
	assert_body_diags("color=red\n\"line\"\n",
	    "t.fig:3:1: error: expected a directive name at the start of the line (figure, panel, "
	    "line, ...), got 'color=red'\n"
	    "t.fig:4:1: error: expected a directive name at the start of the line (figure, panel, "
	    "line, ...), got '\"line\"'\n");
	assert_body_diags("text x=0 y=0 text=\"μ\\tσ \\é\"\n",
	    "t.fig:3:21: error: unknown escape '\\t' (a quoted string allows \\\", \\\\ and \\n)\n"
	    "t.fig:3:25: error: unknown escape '\\é' (a quoted string allows \\\", \\\\ and \\n)\n");
	assert_body_diags("text x=0 y=0 text=\"\xff\"\n",
	    "t.fig:3:20: error: invalid UTF-8\n");
	assert_body_diags("line data=d\fx=a\n",
	    "t.fig:3:12: error: unexpected character (only spaces and tabs separate tokens)\n");

	/* Columns count characters; continuation lines keep their own numbers. */
	assert_body_diags("text x=0 y=0 \\\n  text=\"μσ\" colr=red\n",
	    "t.fig:4:13: error: unknown attribute 'colr' for 'text'; did you mean 'color'?\n");

	/* An embedded NUL. */
	const char nul[] = "figure rows=1 cols=1 width=6 height=4\npanel row=0 col=0 t\0x=1\n";
	capture();
	struct fig_spec *s = fig_spec_parse("t.fig", nul, sizeof nul - 1);
	char *got = captured();
	assert_string_equal(got, "t.fig:2:20: error: unexpected NUL byte\n");
	free(got);
	assert_null(s);
}

static void
test_load_and_free(void **state)
{
	(void)state;
	fig_spec_free(NULL);

	capture();
	struct fig_spec *s = fig_spec_load("tests/figspec-errors/does-not-exist.fig");
	char *got = captured();
	assert_null(s);
	assert_string_equal(got, "handout: error: cannot open "
	                         "'tests/figspec-errors/does-not-exist.fig': No such file or directory\n");
	free(got);

	/* The exit status follows the worst message. */
	capture();
	s = fig_spec_parse("t.fig", "bogus\n", 6);
	assert_null(s);
	assert_int_equal(diag_exit_status(), 2);
	free(captured());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fig1),
		cmocka_unit_test(test_fig2),
		cmocka_unit_test(test_fig3),
		cmocka_unit_test(test_fig4),
		cmocka_unit_test(test_bindings),
		cmocka_unit_test(test_every_attribute),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_load_and_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
